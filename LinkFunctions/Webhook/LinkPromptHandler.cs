using LinkFunctions.Hosting;
using LinkFunctions.LineApi;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Webhook;

/// <summary>
/// Reply-only events (follow, the link keyword) are at-most-once: a create-only marker first, then the link token
/// and the reply. A LINE failure is logged and still answered 200; the user can type the keyword again.
/// </summary>
public sealed partial class LinkPromptHandler(
    ITransientRepository transient, LinkTokenService linkTokens, LinkReader links, LineMessagingClient line, ProviderKey provider,
    TimeProvider time, ILogger<LinkPromptHandler> logger)
{
    public async Task<EventOutcome> HandleAsync(WebhookEvent e, CancellationToken cancellationToken)
    {
        if (e.IsStandby || e.ReplyToken is null)
        {
            return EventOutcome.Ignored;
        }

        // A linking URL posted in a group lets another member bind it to their own account.
        var oneToOne = e.IsOneToOne && Identifiers.IsLineUserId(e.SourceUserId);
        if (!oneToOne && e.SourceType is not ("group" or "room"))
        {
            return EventOutcome.Ignored;
        }

        try
        {
            // follow also fires when a user unblocks the account, so a linked user would be asked to link again.
            // The keyword is different: the user asked, and it is the chat's way to relink to another account.
            if (oneToOne && e.Type == "follow" && await links.FindByLineUserAsync(e.SourceUserId!, cancellationToken) is not null)
            {
                LogAlreadyLinked(logger, LogIds.Hash(e.SourceUserId));
                return EventOutcome.Ignored;
            }

            var marker = new EventMarkerDocument
            {
                // The reply token is the same on every redelivery, so it stands in for a missing webhookEventId.
                Id = provider.EventMarker(e.WebhookEventId ?? $"reply:{e.ReplyToken}"),
                Type = e.Type ?? "unknown",
                ExpiresAt = time.GetUtcNow() + LinkingPolicy.DedupeWindow,
                Ttl = LinkingPolicy.CleanupTtl(LinkingPolicy.DedupeWindow),
            };
            if (!await transient.TryCreateMarkerAsync(marker, cancellationToken))
            {
                return EventOutcome.Duplicate;
            }

            var messages = oneToOne
                ? linkTokens.Prompt(await linkTokens.IssueAsync(e.SourceUserId!, cancellationToken))
                : LinkMessages.OneToOneOnly;
            await line.ReplyAsync(e.ReplyToken, messages, cancellationToken);
            LogPrompted(logger, e.Type, LogIds.Hash(e.SourceUserId), oneToOne);
            return EventOutcome.Handled;
        }
        catch (Exception ex) when (ex is LineApiException or StorageException or OperationCanceledException or HttpRequestException)
        {
            LogPromptFailed(logger, e.Type, LogIds.Hash(e.SourceUserId), SafeError.Describe(ex));
            return EventOutcome.Handled;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replied to {EventType} from LINE user {LineUserHash} (1:1 chat: {OneToOne}).")]
    private static partial void LogPrompted(ILogger logger, string? eventType, string lineUserHash, bool oneToOne);

    [LoggerMessage(Level = LogLevel.Information, Message = "No linking prompt on follow from LINE user {LineUserHash}: already linked.")]
    private static partial void LogAlreadyLinked(ILogger logger, string lineUserHash);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No linking reply to {EventType} from LINE user {LineUserHash}: {Detail}")]
    private static partial void LogPromptFailed(ILogger logger, string? eventType, string lineUserHash, string detail);
}
