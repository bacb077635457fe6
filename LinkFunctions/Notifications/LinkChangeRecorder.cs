using LinkFunctions.Linking;
using LinkFunctions.Storage;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Notifications;

/// <summary>
/// Records every link change in the outbox, in the changed service user's partition, under an id derived from the
/// change: a retry of the change re-creates the same entry (409, absorbed) and a receiver dedupes on the same event id.
/// <para>
/// A link or unlink records its entry before its commit, and a failed record fails the change, so no committed change
/// is ever without its entry: the drainer sends an entry only once the links show the commit, and drops one whose
/// change never committed. A replacement is recorded after the commit that caused it and before the displaced half
/// is deleted, so a retry or a reader's repair records it again rather than never. With <c>Linking__NotifyUrl</c>
/// unset nothing is recorded.
/// </para>
/// </summary>
public sealed class LinkChangeRecorder(
    IOutbox outbox, ProviderKey provider, IOptions<NotificationOptions> options, TimeProvider time, IDeliveryTrigger trigger)
{
    private long lastSeq;

    public bool IsOn => options.Value.IsConfigured;

    /// <summary>Before the commit of <paramref name="request"/>; its delivery waits until the links show the commit.</summary>
    public Task RecordLinkedAsync(LinkRequest request, CancellationToken cancellationToken) =>
        RecordAsync(LinkChangeTypes.Linked, request.LinkId, request.ServiceUserId, request.LineUserId, request.Method, request.LinkId, request.LinkedAt, committed: false, cancellationToken);

    /// <summary>After the relink <paramref name="by"/> committed: <paramref name="replaced"/>'s service user lost that link.</summary>
    public async Task RecordReplacedAsync(LinkDocument replaced, LinkRequest by, CancellationToken cancellationToken)
    {
        await RecordAsync(
            LinkChangeTypes.Replaced, replaced.LinkId + ":" + by.LinkId, replaced.ServiceUserId, replaced.LineUserId, by.Method, replaced.LinkId,
            time.GetUtcNow(), committed: true, cancellationToken);
        Committed(replaced.ServiceUserId);
    }

    /// <summary>Before the tombstones of <paramref name="link"/>; its delivery waits until the links show one.</summary>
    public Task RecordUnlinkedAsync(LinkView link, CancellationToken cancellationToken) =>
        RecordAsync(LinkChangeTypes.Unlinked, link.LinkId, link.ServiceUserId, link.LineUserId, link.Method, link.LinkId, time.GetUtcNow(), committed: false, cancellationToken);

    /// <summary>
    /// After an erasure of <paramref name="serviceUserId"/>: the user's other entries (pending or kept, all holding their
    /// IDs) are deleted, and one <c>user.erased</c> entry without the LINE user ID is recorded; it is deleted as soon as
    /// it is delivered. <paramref name="erasureKey"/> identifies this erasure (a retry of it passes the same key).
    /// </summary>
    public async Task RecordErasedAsync(string serviceUserId, string erasureKey, string method, CancellationToken cancellationToken)
    {
        if (!IsOn)
        {
            return;
        }

        var partition = provider.AuditPartition(serviceUserId);
        var erasedId = EventId(LinkChangeTypes.Erased, serviceUserId + ":" + erasureKey);
        foreach (var entry in await outbox.AllAsync(partition, cancellationToken))
        {
            if (entry.Document.Id != erasedId)
            {
                await outbox.DeleteAsync(entry.Document.Id, partition, ifMatch: null, cancellationToken);
            }
        }

        await RecordAsync(LinkChangeTypes.Erased, serviceUserId + ":" + erasureKey, serviceUserId, null, method, null, time.GetUtcNow(), committed: true, cancellationToken);
        Committed(serviceUserId);
    }

    /// <summary>The change is committed: try to deliver the user's queue now, in the background (the timer catches up otherwise).</summary>
    public void Committed(string serviceUserId)
    {
        if (IsOn)
        {
            trigger.Trigger(provider.AuditPartition(serviceUserId));
        }
    }

    /// <summary>Globally unique (the provider key is part of it) and opaque: a hash, so no linkId or nonce shows through.</summary>
    public string EventId(string type, string changeKey) => ProviderKey.Sha256Hex($"{provider.Value}:{type}:{changeKey}")[..32];

    /// <summary>
    /// The clock in Unix microseconds (exact in a JSON double, unlike ticks), but strictly increasing within the
    /// process: one change records several entries within a microsecond (a relink's <c>link.linked</c>, then the
    /// <c>link.replaced</c> it caused), and they must keep that order.
    /// </summary>
    private long NextSeq(DateTimeOffset now)
    {
        while (true)
        {
            var last = Interlocked.Read(ref lastSeq);
            var next = Math.Max((now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10, last + 1);
            if (Interlocked.CompareExchange(ref lastSeq, next, last) == last)
            {
                return next;
            }
        }
    }

    private async Task RecordAsync(
        string type, string changeKey, string serviceUserId, string? lineUserId, string method, string? linkId, DateTimeOffset occurredAt,
        bool committed, CancellationToken cancellationToken)
    {
        if (!IsOn)
        {
            return;
        }

        var now = time.GetUtcNow();
        await outbox.CreateAsync(
            new OutboxDocument
            {
                Id = EventId(type, changeKey),
                Partition = provider.AuditPartition(serviceUserId),
                Seq = NextSeq(now),
                Type = type,
                ServiceUserId = serviceUserId,
                LineUserId = lineUserId,
                Method = method,
                OccurredAt = occurredAt,
                LinkId = linkId,
                Committed = committed,
                Status = OutboxStates.Pending,
                NextAttemptAt = now,
            },
            cancellationToken);
    }
}
