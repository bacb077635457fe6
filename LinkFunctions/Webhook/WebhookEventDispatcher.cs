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
    /// <remarks>
    /// Most events are ones the app ignores, and their handlers finish at once: they are routed inline on the
    /// request's thread, and only handlers that really wait (storage, LINE) are kept running side by side, at most
    /// <see cref="MaxParallelEvents"/> at a time. Handing every event to the thread pool (Parallel.ForEachAsync) cost
    /// more than reading the whole body. A handler that throws stops new events from starting; the ones running are
    /// awaited, then the exception goes up and the request asks for redelivery, as before.
    /// </remarks>
    public async Task<bool> DispatchAsync(IReadOnlyList<WebhookEvent> events, CancellationToken cancellationToken)
    {
        var retry = false;
        List<Task<EventOutcome>>? running = null;
        for (var i = 0; i < events.Count; i++)
        {
            var handling = HandleAsync(events[i], cancellationToken);
            if (handling.IsCompletedSuccessfully)
            {
                retry |= handling.Result == EventOutcome.Retry;
                continue;
            }

            if (handling.IsCompleted)
            {
                await FailAfterAsync(running, handling);
            }

            (running ??= new List<Task<EventOutcome>>(MaxParallelEvents)).Add(handling);
            if (running.Count == MaxParallelEvents)
            {
                var done = await Task.WhenAny(running);
                running.Remove(done);
                if (!done.IsCompletedSuccessfully)
                {
                    await FailAfterAsync(running, done);
                }

                retry |= done.Result == EventOutcome.Retry;
            }
        }

        if (running is { Count: > 0 })
        {
            foreach (var outcome in await Task.WhenAll(running))
            {
                retry |= outcome == EventOutcome.Retry;
            }
        }

        return !retry;
    }

    /// <summary>Lets the handlers still running finish, then throws the failed handler's exception.</summary>
    private static async Task FailAfterAsync(List<Task<EventOutcome>>? running, Task<EventOutcome> failed)
    {
        if (running is { Count: > 0 })
        {
            await Task.WhenAll(running).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }

        await failed;
    }

    private static readonly Task<EventOutcome> Ignored = Task.FromResult(EventOutcome.Ignored);

    private Task<EventOutcome> HandleAsync(WebhookEvent e, CancellationToken cancellationToken) =>
        RouteOf(e.Type, e.MessageType, e.MessageText, e.PostbackData) switch
        {
            Route.AccountLink => accountLinks.HandleAsync(e, cancellationToken),
            Route.Prompt => PromptAsync(e, cancellationToken),
            Route.UnlinkKeyword => unlinks.HandleAsync(e, "keyword", cancellationToken),
            Route.UnlinkPostback => unlinks.HandleAsync(e, "postback", cancellationToken),
            Route.Unfollow => unlinks.HandleAsync(e, "unfollow", cancellationToken),
            _ => Ignored,
        };

    /// <summary>
    /// Whether an event with these routing fields reaches a handler: the reader's filter, so that the strings of the
    /// events the app ignores are never made. The same routing as <see cref="DispatchAsync"/>, by construction.
    /// </summary>
    public bool ActsOn(string? type, string? messageType, string? messageText, string? postbackData) =>
        RouteOf(type, messageType, messageText, postbackData) != Route.None;

    private Route RouteOf(string? type, string? messageType, string? messageText, string? postbackData) => type switch
    {
        "accountLink" => Route.AccountLink,
        "follow" when options.Value.PromptOnFollow => Route.Prompt,
        "message" when IsKeyword(messageType, messageText, keywords) => Route.Prompt,
        "message" when IsKeyword(messageType, messageText, unlinkKeywords) => Route.UnlinkKeyword,
        "postback" when IsUnlinkPostback(postbackData) => Route.UnlinkPostback,
        "unfollow" when options.Value.UnlinkOnUnfollow => Route.Unfollow,
        _ => Route.None,
    };

    private enum Route
    {
        None,
        AccountLink,
        Prompt,
        UnlinkKeyword,
        UnlinkPostback,
        Unfollow,
    }

    private async Task<EventOutcome> PromptAsync(WebhookEvent e, CancellationToken cancellationToken)
    {
        var outcome = await prompts.HandleAsync(e, cancellationToken);
        metrics?.EventHandled(e.Type!, outcome.ToString());
        return outcome;
    }

    private static bool IsKeyword(string? messageType, string? messageText, IReadOnlyList<string> keywords)
    {
        if (messageType != "text" || messageText is not { } text)
        {
            return false;
        }

        var trimmed = text.AsSpan().Trim();
        for (var i = 0; i < keywords.Count; i++)
        {
            if (trimmed.Equals(keywords[i], StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Postback data is a query string by LINE convention (rich menus and buttons): <c>action=unlink</c>.</summary>
    private static bool IsUnlinkPostback(string? postbackData) =>
        postbackData is { Length: > 0 } data
        && QueryHelpers.ParseQuery(data.StartsWith('?') ? data : "?" + data).TryGetValue("action", out var action)
        && action is [UnlinkAction];

    private const string UnlinkAction = "unlink";
}
