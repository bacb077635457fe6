using LinkFunctions.Hosting;
using LinkFunctions.LineApi;
using LinkFunctions.Linking;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Webhook;

/// <summary>
/// accountLink is state-changing and at-least-once: if the link could not be stored the request answers 5xx and LINE
/// redelivers; the nonce, consumed last, is the dedupe record. Only the delivery that consumed the nonce replies.
/// </summary>
public sealed partial class AccountLinkHandler(
    AccountLinkService accountLinks, LineMessagingClient line, IOptions<LinkingOptions> options, ILogger<AccountLinkHandler> logger, LinkMetrics? metrics = null)
{
    public async Task<EventOutcome> HandleAsync(WebhookEvent e, CancellationToken cancellationToken)
    {
        AccountLinkOutcome outcome;
        try
        {
            outcome = await accountLinks.HandleAsync(e, cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogNotStored(logger, SafeError.Describe(ex));
            metrics?.EventHandled("accountLink", "retry");
            return EventOutcome.Retry;
        }

        if (outcome == AccountLinkOutcome.Linked && e.ReplyToken is not null && !e.IsStandby)
        {
            try
            {
                await line.ReplyAsync(e.ReplyToken, LinkMessages.Linked(options.Value.UnlinkKeyword), cancellationToken);
            }
            catch (Exception ex) when (ex is LineApiException or OperationCanceledException or HttpRequestException)
            {
                // The link is stored; a lost confirmation message is not worth a redelivery.
                LogReplyFailed(logger, SafeError.Describe(ex));
            }
        }

        metrics?.EventHandled("accountLink", outcome.ToString());
        return outcome == AccountLinkOutcome.Duplicate ? EventOutcome.Duplicate : EventOutcome.Handled;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "accountLink not stored, asking LINE to redeliver: {Detail}")]
    private static partial void LogNotStored(ILogger logger, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Linked, but the confirmation reply failed: {Detail}")]
    private static partial void LogReplyFailed(ILogger logger, string detail);
}
