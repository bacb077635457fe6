using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Notifications;

/// <summary>
/// Delivers the outbox, at least once and in order per service user: a user's entries go one at a time, oldest first,
/// and the first that cannot go now (backoff, a failed send, a change not yet committed, another drainer's claim)
/// holds back the rest of that user's queue.
/// <para>
/// Drainers may run at once (the timer on one instance, immediate attempts on any), so an entry is claimed before it
/// is sent: a replace with If-Match that counts the attempt and holds the entry for <see cref="NotificationPolicy.ClaimLease"/>.
/// Whoever loses the claim leaves the user to the winner. A drainer that dies after its claim leaves the entry to
/// be tried again when the claim runs out, with the same event id.
/// </para>
/// </summary>
public sealed partial class OutboxDrainer(
    IOutbox outbox, OutboxCommitCheck check, LinkChangeSender sender, IOptions<NotificationOptions> options, TimeProvider time,
    ILogger<OutboxDrainer> logger, LinkMetrics? metrics = null)
{
    /// <summary>Every user's queue. Returns the number of entries delivered.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.IsConfigured)
        {
            return 0;
        }

        var delivered = 0;
        foreach (var queue in (await outbox.PendingAsync(null, cancellationToken)).GroupBy(e => e.Document.Partition))
        {
            delivered += await DrainQueueAsync(queue, cancellationToken);
        }

        return delivered;
    }

    /// <summary>One user's queue (<c>{pk}:{serviceUserId}</c>).</summary>
    public async Task<int> DrainUserAsync(string partition, CancellationToken cancellationToken) =>
        options.Value.IsConfigured ? await DrainQueueAsync(await outbox.PendingAsync(partition, cancellationToken), cancellationToken) : 0;

    private async Task<int> DrainQueueAsync(IEnumerable<Stored<OutboxDocument>> pending, CancellationToken cancellationToken)
    {
        var queue = pending.OrderBy(e => e.Document.Seq).ThenBy(e => e.Document.Id, StringComparer.Ordinal).ToList();
        var delivered = 0;
        foreach (var (entry, etag) in queue)
        {
            var now = time.GetUtcNow();
            if (entry.ClaimedUntil > now || entry.NextAttemptAt > now)
            {
                break;
            }

            var state = await check.CheckAsync(entry, queue.Select(e => e.Document), cancellationToken);
            if (state == CommitState.Undecided)
            {
                break;
            }

            if (state == CommitState.Abandoned)
            {
                await outbox.DeleteAsync(entry.Id, entry.Partition, etag, cancellationToken);
                Settled(entry, "discarded", 0);
                continue;
            }

            var claimed = entry with { Committed = true, Attempts = entry.Attempts + 1, ClaimedUntil = now + NotificationPolicy.ClaimLease };
            var (claim, claimETag) = await outbox.ReplaceAsync(claimed, etag, cancellationToken);
            if (claim != WriteOutcome.Ok)
            {
                // Another drainer has this user now; it goes on in order from here.
                break;
            }

            var result = await sender.SendAsync(LinkChangeNotification.Of(claimed), cancellationToken);
            if (!await SettleAsync(claimed, claimETag!, result, cancellationToken))
            {
                break;
            }

            delivered += result.Outcome == DeliveryOutcome.Delivered ? 1 : 0;
        }

        return delivered;
    }

    /// <returns>False when the entry stays pending: the user's later entries wait behind it.</returns>
    private async Task<bool> SettleAsync(OutboxDocument claimed, string etag, DeliveryResult result, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var settled = claimed with { ClaimedUntil = null, LastStatus = result.Status };
        string outcome;
        if (result.Outcome == DeliveryOutcome.Delivered)
        {
            outcome = "delivered";
            settled = settled with { Status = OutboxStates.Delivered, Ttl = Seconds(NotificationPolicy.KeepDelivered) };
        }
        else if (result.Outcome == DeliveryOutcome.Refused || claimed.Attempts >= options.Value.NotifyMaxAttempts)
        {
            outcome = "deadletter";
            settled = settled with { Status = OutboxStates.DeadLetter, Ttl = Seconds(NotificationPolicy.KeepDeadLettered) };
            LogDeadLettered(logger, claimed.Id, claimed.Type, LogIds.Hash(claimed.ServiceUserId), result.Status, claimed.Attempts);
        }
        else
        {
            outcome = "retry";
            var delay = NotificationPolicy.RetryDelay(claimed.Attempts);
            settled = settled with { NextAttemptAt = now + (result.RetryAfter > delay ? result.RetryAfter.Value : delay) };
        }

        // An erased user's entry holds the last copy of their ID here: once delivered it goes.
        var write = outcome == "delivered" && claimed.Type == LinkChangeTypes.Erased
            ? outbox.DeleteAsync(claimed.Id, claimed.Partition, etag, cancellationToken)
            : ReplaceAsync(settled, etag, cancellationToken);
        await write;
        Settled(claimed, outcome, result.Status);
        return outcome != "retry";
    }

    private async Task<WriteOutcome> ReplaceAsync(OutboxDocument settled, string etag, CancellationToken cancellationToken) =>
        (await outbox.ReplaceAsync(settled, etag, cancellationToken)).Outcome;

    private void Settled(OutboxDocument entry, string outcome, int status)
    {
        metrics?.NotificationSettled(entry.Type, outcome);
        LogSettled(logger, entry.Id, entry.Type, LogIds.Hash(entry.ServiceUserId), outcome, status, entry.Attempts);
    }

    private static int Seconds(TimeSpan keep) => (int)keep.TotalSeconds;

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {EventId} ({Type}) for service user {ServiceUserHash}: {Outcome} (status {Status}, attempt {Attempts}).")]
    private static partial void LogSettled(ILogger logger, string eventId, string type, string serviceUserHash, string outcome, int status, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {EventId} ({Type}) for service user {ServiceUserHash} dead-lettered after {Attempts} attempt(s); the receiver answered {Status}.")]
    private static partial void LogDeadLettered(ILogger logger, string eventId, string type, string serviceUserHash, int status, int attempts);
}
