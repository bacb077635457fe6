using LinkFunctions.Notifications;
using LinkFunctions.Storage;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Linking;

public sealed record LinkRequest(string LineUserId, string ServiceUserId, string LinkId, long Version, string Method, DateTimeOffset LinkedAt)
{
    /// <summary>The request that wrote <paramref name="half"/>.</summary>
    public static LinkRequest Of(LinkDocument half) =>
        new(half.LineUserId, half.ServiceUserId, half.LinkId, half.Version, half.Method, half.LinkedAt);
}

public enum LinkWriteResult
{
    Linked,

    /// <summary>A newer link or unlink already holds one side; this write lost and left nothing behind.</summary>
    Superseded,
}

/// <summary>
/// Writes the two halves of a link. No transaction spans two partitions, so: the line side first, create-only or
/// replace with If-Match; the higher version wins (a tie goes to the larger linkId); a 409 or 412 means re-read and
/// decide again.
/// <para>
/// A half taken over from another link carries that link as its write-ahead record (<see cref="LinkDocument.Replaces"/>).
/// Until the second half is written (the commit), readers still serve the replaced link, so a relink that fails
/// part-way never costs the user the link they had. After the commit the displaced partners are released: audited
/// and told first, then deleted with If-Match while they still carry the old linkId. A retry finds its own halves,
/// reads the records, and finishes the release (or, if it now loses, puts back what the record names).
/// </para>
/// </summary>
public sealed partial class LinkWriter(
    ILinkRepository links, ProviderKey provider, TimeProvider time, ILogger<LinkWriter> logger,
    ReplacedLinkNotifier? notifier = null, LinkChangeRecorder? changes = null)
{
    /// <param name="Previous">What the half held before this link: the link to put back or whose partner to release.</param>
    private sealed record Claim(bool Won, string? ETag, LinkDocument? Previous);

    public async Task<LinkWriteResult> WriteAsync(LinkRequest request, CancellationToken cancellationToken)
    {
        var line = await ClaimAsync(Half(request, provider.LineSide(request.LineUserId)), cancellationToken);
        if (!line.Won)
        {
            return LinkWriteResult.Superseded;
        }

        // Recorded before the commit, so that no committed link is without its notification (the drainer holds it
        // back until the user half below names this link).
        if (changes is not null)
        {
            await changes.RecordLinkedAsync(request, cancellationToken);
        }

        var user = await ClaimAsync(Half(request, provider.UserSide(request.ServiceUserId)), cancellationToken);
        if (!user.Won)
        {
            // Our line half points at a user who is linked elsewhere: put back what it replaced, or take it away,
            // with If-Match so that a newer writer is never undone.
            if (line.Previous is { } previous)
            {
                await links.ReplaceAsync(previous, line.ETag!, cancellationToken);
            }
            else
            {
                await links.DeleteAsync(provider.LineSide(request.LineUserId), line.ETag!, cancellationToken);
            }

            return LinkWriteResult.Superseded;
        }

        // Committed: both halves confirm the new link. The old partners no longer count; release them.
        if (line.Previous is { IsLinked: true } formerUser && formerUser.ServiceUserId != request.ServiceUserId)
        {
            await ReleaseAsync(formerUser, request, cancellationToken);
        }

        if (user.Previous is { IsLinked: true } formerLine && formerLine.LineUserId != request.LineUserId)
        {
            await ReleaseAsync(formerLine, request, cancellationToken);
        }

        changes?.Committed(request.ServiceUserId);
        return LinkWriteResult.Linked;
    }

    /// <summary>Newer wins; equal versions are ordered by linkId so that every writer reaches the same verdict.</summary>
    public static bool Supersedes(long version, string linkId, LinkDocument existing) =>
        version > existing.Version || (version == existing.Version && string.CompareOrdinal(linkId, existing.LinkId) > 0);

    private LinkDocument Half(LinkRequest request, string id) => new()
    {
        Id = id,
        LineUserId = request.LineUserId,
        ServiceUserId = request.ServiceUserId,
        LinkId = request.LinkId,
        Version = request.Version,
        State = LinkStates.Linked,
        Method = request.Method,
        LinkedAt = request.LinkedAt,
        WrittenAt = time.GetUtcNow(),
    };

    private async Task<Claim> ClaimAsync(LinkDocument desired, CancellationToken cancellationToken)
    {
        // Most claims are of a free id (a user's first link), so the first attempt creates without reading: one
        // operation instead of two. A taken id answers 409, and only then is it read, so an existing half costs one
        // more operation than before while a free one costs one less.
        for (var attempt = 0; attempt <= LinkingPolicy.MaxWriteAttempts; attempt++)
        {
            var existing = attempt == 0 ? null : await links.ReadAsync(desired.Id, cancellationToken);
            if (existing is null)
            {
                var (created, etag) = await links.CreateAsync(desired, cancellationToken);
                if (created == WriteOutcome.Ok)
                {
                    return new Claim(true, etag, null);
                }

                continue;
            }

            var current = existing.Document;
            if (current.LinkId == desired.LinkId && current.IsLinked)
            {
                // A retry or a concurrent duplicate of the same link: already ours, and its write-ahead record says
                // what it replaced. A half left by an earlier failed delivery is refreshed first, so that a lookup
                // cannot take it for stale while we write its partner.
                var previous = current.Replaces;
                if (time.GetUtcNow() - current.WrittenAt < LinkingPolicy.WriteGrace / 2)
                {
                    return new Claim(true, existing.ETag, previous);
                }

                var (refreshed, refreshedETag) = await links.ReplaceAsync(current with { WrittenAt = time.GetUtcNow() }, existing.ETag, cancellationToken);
                if (refreshed == WriteOutcome.Ok)
                {
                    return new Claim(true, refreshedETag, previous);
                }

                continue;
            }

            if (!Supersedes(desired.Version, desired.LinkId, current))
            {
                LogSuperseded(logger, desired.Id.StartsWith("line:", StringComparison.Ordinal) ? "line" : "user", current.State);
                return new Claim(false, null, null);
            }

            var replaced = await HoldingLinkAsync(current, cancellationToken);
            var (written, newETag) = await links.ReplaceAsync(desired with { Replaces = replaced with { Replaces = null } }, existing.ETag, cancellationToken);
            if (written == WriteOutcome.Ok)
            {
                return new Claim(true, newETag, replaced);
            }
        }

        throw new StorageException("link write (contention)", 409);
    }

    /// <summary>
    /// The link a half stands for. A half that is itself the first half of an unconfirmed relink still stands for the
    /// link in its record, and that is the one a new write-ahead record must keep readable.
    /// </summary>
    private async Task<LinkDocument> HoldingLinkAsync(LinkDocument current, CancellationToken cancellationToken)
    {
        if (current.Replaces is not { } record || !current.IsLinked)
        {
            return current;
        }

        var partner = (await links.ReadAsync(LinkReader.PartnerId(provider, current), cancellationToken))?.Document;
        return current.Committed(partner) ? current : record;
    }

    /// <summary>
    /// Releases the other half of the link that <paramref name="former"/> (our half's previous content) belonged to,
    /// while it still carries that link: the displaced user is audited and told before the delete, so that a retry
    /// after a crash in between does both again (each is idempotent) rather than never.
    /// </summary>
    private async Task ReleaseAsync(LinkDocument former, LinkRequest request, CancellationToken cancellationToken)
    {
        var id = LinkReader.PartnerId(provider, former);
        var partner = await links.ReadAsync(id, cancellationToken);
        if (partner is null || partner.Document.LinkId != former.LinkId)
        {
            return;
        }

        Task<WriteOutcome> Delete() => links.DeleteAsync(id, partner.ETag, cancellationToken);
        if (notifier is not null && former.Confirms(partner.Document))
        {
            await notifier.ReleaseAsync(former, request, Delete, cancellationToken);
        }
        else
        {
            await Delete();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Link write lost on the {Side} side to a newer {State} document.")]
    private static partial void LogSuperseded(ILogger logger, string side, string state);
}
