using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Webhook;

/// <summary>
/// Routes each event to its handler. Only the events the app acts on cost anything; everything else, unknown types
/// included, is ignored. One body may carry events of several users, so they run side by side.
/// </summary>
public sealed class WebhookEventDispatcher(
    AccountLinkHandler accountLinks, LinkPromptHandler prompts, UnlinkHandler unlinks, IOptions<LinkingOptions> options, LinkMetrics? metrics = null)
{
    private const int MaxParallelEvents = 4;

    // The options do not change while the app runs, so the keyword list is split once, not per message.
    private readonly IReadOnlyList<string> keywords = options.Value.KeywordList;
    private readonly IReadOnlyList<string> unlinkKeywords = options.Value.UnlinkKeywordList;

    /// <summary>False when a state-changing event must be redelivered.</summary>
    public async Task<bool> DispatchAsync(IReadOnlyList<WebhookEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return true;
        }

        if (events.Count == 1)
        {
            return await HandleAsync(events[0], cancellationToken) != EventOutcome.Retry;
        }

        var retry = 0;
        await Parallel.ForEachAsync(
            events,
            new ParallelOptions { MaxDegreeOfParallelism = MaxParallelEvents, CancellationToken = CancellationToken.None },
            async (e, _) =>
            {
                if (await HandleAsync(e, cancellationToken) == EventOutcome.Retry)
                {
                    Interlocked.Exchange(ref retry, 1);
                }
            });
        return retry == 0;
    }

    private Task<EventOutcome> HandleAsync(WebhookEvent e, CancellationToken cancellationToken) => e.Type switch
    {
        "accountLink" => accountLinks.HandleAsync(e, cancellationToken),
        "follow" when options.Value.PromptOnFollow => PromptAsync(e, cancellationToken),
        "message" when IsKeyword(e, keywords) => PromptAsync(e, cancellationToken),
        "message" when IsKeyword(e, unlinkKeywords) => unlinks.HandleAsync(e, "keyword", cancellationToken),
        "postback" when IsUnlinkPostback(e) => unlinks.HandleAsync(e, "postback", cancellationToken),
        "unfollow" when options.Value.UnlinkOnUnfollow => unlinks.HandleAsync(e, "unfollow", cancellationToken),
        _ => Task.FromResult(EventOutcome.Ignored),
    };

    private async Task<EventOutcome> PromptAsync(WebhookEvent e, CancellationToken cancellationToken)
    {
        var outcome = await prompts.HandleAsync(e, cancellationToken);
        metrics?.EventHandled(e.Type!, outcome.ToString());
        return outcome;
    }

    private static bool IsKeyword(WebhookEvent e, IReadOnlyList<string> keywords) =>
        e.MessageType == "text" && e.MessageText is { } text
        && keywords.Any(k => string.Equals(k, text.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Postback data is a query string by LINE convention (rich menus and buttons): <c>action=unlink</c>.</summary>
    private static bool IsUnlinkPostback(WebhookEvent e) =>
        e.PostbackData is { Length: > 0 } data
        && QueryHelpers.ParseQuery(data.StartsWith('?') ? data : "?" + data).TryGetValue("action", out var action)
        && action is [UnlinkAction];

    private const string UnlinkAction = "unlink";
}
