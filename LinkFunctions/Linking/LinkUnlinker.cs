using LinkFunctions.Hosting;
using LinkFunctions.Notifications;
using LinkFunctions.Storage;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Linking;

public enum UnlinkResult
{
    Unlinked,

    /// <summary>Nothing was linked (never linked, or already unlinked): a no-op success, which keeps unlink idempotent.</summary>
    NotLinked,
}

/// <summary>
/// Unlinks under the link protocol: both halves of the served link become tombstones (<c>state: unlinked</c>) with If-Match,
/// at a version after the link's own and no earlier than server time. A tombstone is never deleted by a reader and has
/// no ttl, so a redelivered or older accountLink or relink loses to it in <see cref="LinkWriter.Supersedes"/>, while a
/// link made later wins over it as over any older half.
/// <para>
/// The <c>unlinked</c> audit entry is written first, with an id derived from the linkId, so that a retry after a crash
/// part-way writes it again (absorbed) rather than never. A half that already holds an unrelated or newer link is left
/// alone: unlinking one link must not undo another.
/// </para>
/// </summary>
public sealed partial class LinkUnlinker(
    ILinkRepository links, LinkReader reader, IAuditLog audit, ProviderKey provider, TimeProvider time, ILogger<LinkUnlinker> logger,
    LinkMetrics? metrics = null, ILineGrantRevoker? grants = null, LinkChangeRecorder? changes = null)
{
    public const string Action = "unlinked";

    public Task<UnlinkResult> UnlinkLineUserAsync(string lineUserId, string cause, CancellationToken cancellationToken) =>
        UnlinkAsync(reader.FindByLineUserAsync(lineUserId, cancellationToken), cause, cancellationToken);

    public Task<UnlinkResult> UnlinkServiceUserAsync(string serviceUserId, string cause, CancellationToken cancellationToken) =>
        UnlinkAsync(reader.FindByServiceUserAsync(serviceUserId, cancellationToken), cause, cancellationToken);

    private async Task<UnlinkResult> UnlinkAsync(Task<LinkView?> lookup, string cause, CancellationToken cancellationToken)
    {
        var view = await lookup;
        if (view is null)
        {
            return UnlinkResult.NotLinked;
        }

        // Before the tombstones, like the audit entry: a retry finds nothing left to unlink and would record nothing.
        if (changes is not null)
        {
            await changes.RecordUnlinkedAsync(view, cancellationToken);
        }

        string[] ids = [provider.LineSide(view.LineUserId), provider.UserSide(view.ServiceUserId)];
        for (var attempt = 0; attempt < LinkingPolicy.MaxWriteAttempts; attempt++)
        {
            var halves = await Task.WhenAll(ids.Select(id => links.ReadAsync(id, cancellationToken)));
            var version = TombstoneVersion(view, halves);
            await AppendAuditAsync(view, cause, cancellationToken);

            var written = true;
            for (var i = 0; i < ids.Length && written; i++)
            {
                written = await TombstoneAsync(ids[i], halves[i], view, version, cancellationToken);
            }

            if (written)
            {
                metrics?.LinkUnlinked(view.Method, cause);
                changes?.Committed(view.ServiceUserId);
                LogUnlinked(logger, LogIds.Hash(view.ServiceUserId), LogIds.Hash(view.LineUserId), cause);
                await RevokeGrantAsync(view, cancellationToken);
                return UnlinkResult.Unlinked;
            }
        }

        throw new StorageException("unlink (contention)", 409);
    }

    /// <summary>
    /// After the tombstones: LINE asks for deauthorize when a LINE Login link ends. Whatever LINE answers, the unlink
    /// stands; the revoker records its own failures, and this guard covers the rest (e.g. a Cosmos read failing).
    /// </summary>
    private async Task RevokeGrantAsync(LinkView view, CancellationToken cancellationToken)
    {
        if (grants is null || !grants.MayHoldGrant(view.Method))
        {
            return;
        }

        try
        {
            await grants.RevokeAsync(view.LineUserId, view.LinkId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRevokeFailed(logger, LogIds.Hash(view.LineUserId), SafeError.Describe(ex));
        }
    }

    /// <summary>Server time, but always after the link it ends: a LINE event timestamp may run ahead of our clock.</summary>
    private long TombstoneVersion(LinkView view, IEnumerable<Stored<LinkDocument>?> halves)
    {
        var version = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var half in halves)
        {
            if (half?.Document.LinkId == view.LinkId && half.Document.IsLinked)
            {
                version = Math.Max(version, half.Document.Version + 1);
            }
        }

        return version;
    }

    /// <returns>False on a concurrent write (409/412): re-read and decide again.</returns>
    private async Task<bool> TombstoneAsync(string id, Stored<LinkDocument>? stored, LinkView view, long version, CancellationToken cancellationToken)
    {
        var tombstone = new LinkDocument
        {
            Id = id,
            LineUserId = view.LineUserId,
            ServiceUserId = view.ServiceUserId,
            LinkId = view.LinkId,
            Version = version,
            State = LinkStates.Unlinked,
            Method = view.Method,
            LinkedAt = view.LinkedAt,
            WrittenAt = time.GetUtcNow(),
        };
        if (stored is null)
        {
            // The half vanished under us (a reader's repair); the tombstone still blocks an older replay of this link.
            return (await links.CreateAsync(tombstone, cancellationToken)).Outcome == WriteOutcome.Ok;
        }

        var current = stored.Document;
        var ours = current.IsLinked && (current.LinkId == view.LinkId || current.Replaces?.LinkId == view.LinkId);
        if (!ours || !LinkWriter.Supersedes(version, view.LinkId, current))
        {
            // Already a tombstone, or another (newer) link holds this half now: that one is not ours to end.
            return true;
        }

        return (await links.ReplaceAsync(tombstone, stored.ETag, cancellationToken)).Outcome == WriteOutcome.Ok;
    }

    private Task AppendAuditAsync(LinkView view, string cause, CancellationToken cancellationToken)
    {
        // One link is unlinked once: a retry or a concurrent unlink of the same link writes the same key.
        return audit.AppendAsync(
            AuditEntry.For(
                provider, view.ServiceUserId, view.LineUserId, $"{Action}:{ProviderKey.Sha256Hex(view.LinkId)}", Action, view.Method,
                time.GetUtcNow(), view.LinkId, cause),
            cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look for a LINE Login grant of LINE user {LineUserHash} to deauthorize: {Detail}")]
    private static partial void LogRevokeFailed(ILogger logger, string lineUserHash, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unlinked service user {ServiceUserHash} from LINE user {LineUserHash} ({Cause}).")]
    private static partial void LogUnlinked(ILogger logger, string serviceUserHash, string lineUserHash, string cause);
}
