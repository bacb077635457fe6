using LinkFunctions.Storage;

namespace LinkFunctions.Notifications;

public enum CommitState
{
    Committed,

    /// <summary>No sign of the commit yet, and the change may still be under way: the user's queue waits.</summary>
    Undecided,

    /// <summary>No sign of the commit long after the change began: it failed and was not retried.</summary>
    Abandoned,
}

/// <summary>
/// Whether the change an entry announces took effect, read from the links (there is no transaction to tie the two).
/// A link commits when its user half is written, so the user half names it afterwards: as its link, or as the
/// write-ahead record of the link that replaced it; and if that half has moved on since, the <c>link.replaced</c> or
/// <c>link.unlinked</c> entry recorded for it (after its commit) is still queued behind it. An unlink commits with
/// its first tombstone (the line half's), which no reader deletes.
/// </summary>
public sealed class OutboxCommitCheck(ILinkRepository links, ProviderKey provider, TimeProvider time)
{
    public async Task<CommitState> CheckAsync(OutboxDocument entry, IEnumerable<OutboxDocument> queue, CancellationToken cancellationToken)
    {
        if (entry.Committed || entry.LinkId is not { } linkId)
        {
            return CommitState.Committed;
        }

        var committed = entry.Type switch
        {
            LinkChangeTypes.Linked => Names(await UserHalfAsync(entry, cancellationToken), linkId, tombstone: null)
                || queue.Any(e => e.Seq >= entry.Seq && e.LinkId == linkId && e.Type is LinkChangeTypes.Replaced or LinkChangeTypes.Unlinked),
            LinkChangeTypes.Unlinked => Names(await UserHalfAsync(entry, cancellationToken), linkId, tombstone: true)
                || (entry.LineUserId is { } lineUserId && Names((await links.ReadAsync(provider.LineSide(lineUserId), cancellationToken))?.Document, linkId, tombstone: true)),
            _ => true,
        };

        return committed ? CommitState.Committed
            : time.GetUtcNow() - DateTimeOffset.UnixEpoch.AddTicks(entry.Seq * 10) < NotificationPolicy.CommitGrace ? CommitState.Undecided
            : CommitState.Abandoned;
    }

    private async Task<LinkDocument?> UserHalfAsync(OutboxDocument entry, CancellationToken cancellationToken) =>
        (await links.ReadAsync(provider.UserSide(entry.ServiceUserId), cancellationToken))?.Document;

    /// <param name="tombstone">True: only an unlinked state counts; null: any state.</param>
    private static bool Names(LinkDocument? half, string linkId, bool? tombstone) =>
        half is not null && (Matches(half, linkId, tombstone) || (half.Replaces is { } record && Matches(record, linkId, tombstone)));

    private static bool Matches(LinkDocument half, string linkId, bool? tombstone) =>
        half.LinkId == linkId && (tombstone is null || tombstone == !half.IsLinked);
}
