using LinkFunctions.Hosting;
using LinkFunctions.LineApi;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Webhook;

/// <summary>
/// Unlink asked for from LINE: the unlink postback, the unlink keyword, and unfollow under the <c>unlink</c> policy.
/// These change state, so they are at-least-once: a create-only event marker dedupes redeliveries, and when the unlink
/// could not be stored the marker is removed and the request answers 5xx, so that LINE redelivers and the retry is
/// not taken for a duplicate. Only the delivery that created the marker replies.
/// </summary>
public sealed partial class UnlinkHandler(
    ITransientRepository transient, LinkUnlinker unlinker, LineMessagingClient line, ProviderKey provider, TimeProvider time,
    ILogger<UnlinkHandler> logger, LinkMetrics? metrics = null)
{
    public async Task<EventOutcome> HandleAsync(WebhookEvent e, string cause, CancellationToken cancellationToken)
    {
        var outcome = await UnlinkAsync(e, cause, cancellationToken);
        metrics?.EventHandled(e.Type!, outcome.ToString());
        return outcome;
    }

    private async Task<EventOutcome> UnlinkAsync(WebhookEvent e, string cause, CancellationToken cancellationToken)
    {
        // In a group anyone could send the keyword; in standby another channel owns the conversation. unfollow is
        // always the user's own act, so it counts in either mode.
        if (!e.IsOneToOne || !Identifiers.IsLineUserId(e.SourceUserId) || (e.IsStandby && e.Type != "unfollow"))
        {
            return EventOutcome.Ignored;
        }

        var marker = new EventMarkerDocument
        {
            // unfollow carries no reply token; its user and timestamp are the same on every redelivery.
            Id = provider.EventMarker(e.WebhookEventId ?? (e.ReplyToken is { } token ? $"reply:{token}" : $"{e.Type}:{e.SourceUserId}:{e.Timestamp}")),
            Type = e.Type ?? "unknown",
            ExpiresAt = time.GetUtcNow() + LinkingPolicy.DedupeWindow,
            Ttl = LinkingPolicy.CleanupTtl(LinkingPolicy.DedupeWindow),
        };

        UnlinkResult result;
        try
        {
            if (!await transient.TryCreateMarkerAsync(marker, cancellationToken))
            {
                return EventOutcome.Duplicate;
            }

            result = await unlinker.UnlinkLineUserAsync(e.SourceUserId!, cause, cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogNotStored(logger, e.Type, LogIds.Hash(e.SourceUserId), SafeError.Describe(ex));
            await RemoveMarkerAsync(marker.Id);
            return EventOutcome.Retry;
        }

        if (e.ReplyToken is not null && !e.IsStandby)
        {
            try
            {
                await line.ReplyAsync(e.ReplyToken, result == UnlinkResult.Unlinked ? LinkMessages.Unlinked : LinkMessages.NotLinked, cancellationToken);
            }
            catch (Exception ex) when (ex is LineApiException or OperationCanceledException or HttpRequestException)
            {
                // The unlink is stored; a lost confirmation is not worth a redelivery.
                LogReplyFailed(logger, SafeError.Describe(ex));
            }
        }

        return EventOutcome.Handled;
    }

    /// <summary>Best effort, and not bound to the request's budget: a marker left behind would make LINE's redelivery a duplicate.</summary>
    private async Task RemoveMarkerAsync(string id)
    {
        try
        {
            await transient.DeleteMarkerAsync(id, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogMarkerKept(logger, SafeError.Describe(ex));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{EventType} unlink for LINE user {LineUserHash} not stored, asking LINE to redeliver: {Detail}")]
    private static partial void LogNotStored(ILogger logger, string? eventType, string lineUserHash, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unlinked, but the confirmation reply failed: {Detail}")]
    private static partial void LogReplyFailed(ILogger logger, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not remove the event marker of an unlink that was not stored; its redelivery will be taken for a duplicate: {Detail}")]
    private static partial void LogMarkerKept(ILogger logger, string detail);
}
