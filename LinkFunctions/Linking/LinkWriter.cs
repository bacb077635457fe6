using LinkFunctions.Storage;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Linking;

public sealed record LinkRequest(string LineUserId, string ServiceUserId, string LinkId, long Version, string Method, DateTimeOffset LinkedAt);

public enum LinkWriteResult
{
    Linked,

    /// <summary>A newer link or unlink already holds one side; this write lost and left nothing behind.</summary>
    Superseded,
}

/// <summary>
/// Writes the two halves of a link. No transaction spans two partitions, so: the line side first, create-only or
/// replace with If-Match; the higher version wins (a tie goes to the larger linkId); a 409 or 412 means re-read and
/// decide again. A former partner is cleaned up only with If-Match and only while it still carries the old linkId.
/// </summary>
public sealed partial class LinkWriter(ILinkRepository links, ProviderKey provider, TimeProvider time, ILogger<LinkWriter> logger)
{
    private sealed record Claim(bool Won, string? ETag, LinkDocument? Previous);

    public async Task<LinkWriteResult> WriteAsync(LinkRequest request, CancellationToken cancellationToken)
    {
        var line = await ClaimAsync(Half(request, provider.LineSide(request.LineUserId)), cancellationToken);
        if (!line.Won)
        {
            return LinkWriteResult.Superseded;
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

        if (line.Previous is { IsLinked: true } formerUser && formerUser.ServiceUserId != request.ServiceUserId)
        {
            await ReleaseAsync(provider.UserSide(formerUser.ServiceUserId), formerUser.LinkId, cancellationToken);
        }

        if (user.Previous is { IsLinked: true } formerLine && formerLine.LineUserId != request.LineUserId)
        {
            await ReleaseAsync(provider.LineSide(formerLine.LineUserId), formerLine.LinkId, cancellationToken);
        }

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
        for (var attempt = 0; attempt < LinkingPolicy.MaxWriteAttempts; attempt++)
        {
            var existing = await links.ReadAsync(desired.Id, cancellationToken);
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
                // A retry or a concurrent duplicate of the same link: already ours. A half left by an earlier failed
                // delivery is refreshed first, so that a lookup cannot take it for stale while we write its partner.
                if (time.GetUtcNow() - current.WrittenAt < LinkingPolicy.WriteGrace / 2)
                {
                    return new Claim(true, existing.ETag, null);
                }

                var (refreshed, refreshedETag) = await links.ReplaceAsync(current with { WrittenAt = time.GetUtcNow() }, existing.ETag, cancellationToken);
                if (refreshed == WriteOutcome.Ok)
                {
                    return new Claim(true, refreshedETag, null);
                }

                continue;
            }

            if (!Supersedes(desired.Version, desired.LinkId, current))
            {
                LogSuperseded(logger, desired.Id.StartsWith("line:", StringComparison.Ordinal) ? "line" : "user", current.State);
                return new Claim(false, null, null);
            }

            var (replaced, newETag) = await links.ReplaceAsync(desired, existing.ETag, cancellationToken);
            if (replaced == WriteOutcome.Ok)
            {
                return new Claim(true, newETag, current);
            }
        }

        throw new StorageException("link write (contention)", 409);
    }

    private async Task ReleaseAsync(string id, string oldLinkId, CancellationToken cancellationToken)
    {
        var partner = await links.ReadAsync(id, cancellationToken);
        if (partner is not null && partner.Document.LinkId == oldLinkId)
        {
            await links.DeleteAsync(id, partner.ETag, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Link write lost on the {Side} side to a newer {State} document.")]
    private static partial void LogSuperseded(ILogger logger, string side, string state);
}
