using System.Text.Json;
using LinkFunctions.Login;
using LinkFunctions.Storage;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Linking;

/// <summary>
/// Erasure: removes every document that holds a user's ID, in every container, and withdraws any LINE Login grant
/// first. Links and transient documents are keyed by the other party or by random values, so both containers are
/// scanned (the read feed) and every document whose fields name the user is deleted; erasure is rare, and the transient
/// container only holds minutes of data. A link half of someone else whose write-ahead record (<c>replaces</c>) still
/// names the user keeps its link and loses the record. The audit partition goes whole; erasing a LINE user also
/// removes the entries in other partitions whose salted hash matches.
/// <para>
/// Deletes are unconditional and a missing document is fine, so a repeated or interrupted erasure simply runs again.
/// LIFF ID-token markers and event markers hold hashes of tokens and events, no user ID, and stay until their ttl:
/// removing a marker would let a still-valid ID token link again.
/// </para>
/// </summary>
public sealed partial class UserEraser(
    CosmosDatabase database, ILinkRepository links, IAuditHistory history, ProviderKey provider, TimeProvider time,
    ILogger<UserEraser> logger, ILineGrantRevoker? grants = null, IErasureListener? listener = null)
{
    private const string ReplacesProperty = "replaces";

    public async Task EraseServiceUserAsync(string serviceUserId, CancellationToken cancellationToken)
    {
        var counterparts = await EraseLinksAsync(serviceUserId, cancellationToken);

        // A LINE user's own pending documents (link tokens) name no service user: those of this user's counterparts
        // (from the links, and from the nonces this user was given) go too. A counterpart's pending link with someone
        // else names that user, and is theirs.
        var transient = await EraseTransientAsync(
            pending =>
            {
                foreach (var doc in pending.Where(doc => Names(doc, serviceUserId)))
                {
                    counterparts.UnionWith(new[] { Text(doc, "lineUserId"), Text(doc, "expectedLineUserId") }.OfType<string>());
                }

                return doc => Names(doc, serviceUserId) || (!doc.TryGetProperty("serviceUserId", out _) && counterparts.Any(l => Names(doc, l)));
            },
            cancellationToken);
        var audit = await history.DeletePartitionAsync(provider.AuditPartition(serviceUserId), cancellationToken);
        await EraseOutboxAsync(serviceUserId, cancellationToken);
        LogErased(logger, "service user", LogIds.Hash(serviceUserId), counterparts.Count, transient, audit);
        await NotifyAsync(new ErasedUser(serviceUserId, null, time.GetUtcNow(), [serviceUserId]), cancellationToken);
    }

    public async Task EraseLineUserAsync(string lineUserId, CancellationToken cancellationToken)
    {
        var partners = await EraseLinksAsync(lineUserId, cancellationToken);
        var transient = await EraseTransientAsync(_ => doc => Names(doc, lineUserId), cancellationToken);
        var audit = await EraseSaltedHashesAsync(lineUserId, cancellationToken);
        await EraseOutboxAsync(lineUserId, cancellationToken);
        LogErased(logger, "LINE user", LogIds.Hash(lineUserId), partners.Count, transient, audit);
        await NotifyAsync(new ErasedUser(null, lineUserId, time.GetUtcNow(), partners), cancellationToken);
    }

    /// <returns>The other party of every link half that named <paramref name="userId"/>.</returns>
    private async Task<HashSet<string>> EraseLinksAsync(string userId, CancellationToken cancellationToken)
    {
        var naming = new List<JsonElement>();
        var recording = new List<string>();
        await foreach (var doc in database.Links.QueryAllAsync(null, null, cancellationToken))
        {
            if (Names(doc, userId, skip: ReplacesProperty))
            {
                naming.Add(doc);
            }
            else if (doc.TryGetProperty(ReplacesProperty, out var record) && Names(record, userId))
            {
                recording.Add(Id(doc));
            }
        }

        var others = new HashSet<string>(StringComparer.Ordinal);
        foreach (var doc in naming)
        {
            var id = Id(doc);
            var (line, service) = (Text(doc, "lineUserId"), Text(doc, "serviceUserId"));
            others.Add(line == userId ? service ?? "" : line ?? "");
            if (grants is not null && id == provider.Grant(line ?? ""))
            {
                // Deauthorize before the token goes; a failure is recorded by the revoker, and erasure goes on.
                await grants.RevokeAsync(line!, linkId: null, cancellationToken);
            }

            await database.Links.DeleteAsync(id, id, ifMatch: null, cancellationToken);
        }

        foreach (var id in recording)
        {
            await ForgetRecordAsync(id, cancellationToken);
        }

        others.Remove("");
        return others;
    }

    /// <summary>Drops a write-ahead record that names the erased user, with If-Match so a concurrent write is not lost.</summary>
    private async Task ForgetRecordAsync(string id, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < LinkingPolicy.MaxWriteAttempts; attempt++)
        {
            var half = await links.ReadAsync(id, cancellationToken);
            if (half?.Document.Replaces is null
                || (await links.ReplaceAsync(half.Document with { Replaces = null }, half.ETag, cancellationToken)).Outcome != WriteOutcome.PreconditionFailed)
            {
                return;
            }
        }

        throw new StorageException("erasure (contention)", 412);
    }

    /// <param name="select">Given every transient document, which to delete: the container holds minutes of data.</param>
    private async Task<int> EraseTransientAsync(Func<IReadOnlyList<JsonElement>, Func<JsonElement, bool>> select, CancellationToken cancellationToken)
    {
        var all = new List<JsonElement>();
        await foreach (var doc in database.Transient.QueryAllAsync(null, null, cancellationToken))
        {
            all.Add(doc);
        }

        var erase = select(all);
        var ids = all.Where(erase).Select(Id).ToList();

        foreach (var id in ids)
        {
            await database.Transient.DeleteAsync(id, id, ifMatch: null, cancellationToken);
        }

        return ids.Count;
    }

    /// <summary>
    /// Notifications that name the user, in any service user's queue (a displaced partner's <c>link.replaced</c> names
    /// the LINE user too), pending or kept after delivery. The notifier then records the one <c>user.erased</c>.
    /// </summary>
    private async Task EraseOutboxAsync(string userId, CancellationToken cancellationToken)
    {
        var naming = new List<(string Id, string Partition)>();
        await foreach (var doc in database.Outbox.QueryAllAsync(null, null, cancellationToken))
        {
            if (Names(doc, userId) && Text(doc, "partition") is { } partition)
            {
                naming.Add((Id(doc), partition));
            }
        }

        foreach (var (id, partition) in naming)
        {
            await database.Outbox.DeleteAsync(id, partition, ifMatch: null, cancellationToken);
        }
    }

    /// <summary>Audit entries in any partition whose counterpart hash is this LINE user's (salt + ID, as <see cref="SaltedHash"/>).</summary>
    private async Task<int> EraseSaltedHashesAsync(string lineUserId, CancellationToken cancellationToken)
    {
        var matches = new List<(string Id, string Partition)>();
        await foreach (var doc in database.Audit.QueryAllAsync(null, null, cancellationToken))
        {
            if (Text(doc, "lineUserIdHash") is { } hash && Text(doc, "hashSalt") is { } salt
                && string.Equals(ProviderKey.Sha256Hex(salt + lineUserId), hash, StringComparison.Ordinal))
            {
                matches.Add((Id(doc), Text(doc, "partition")!));
            }
        }

        foreach (var (id, partition) in matches)
        {
            await database.Audit.DeleteAsync(id, partition, ifMatch: null, cancellationToken);
        }

        return matches.Count;
    }

    private async Task NotifyAsync(ErasedUser erased, CancellationToken cancellationToken)
    {
        if (listener is not null)
        {
            await listener.UserErasedAsync(erased, cancellationToken);
        }
    }

    private static string Id(JsonElement doc) => doc.GetProperty("id").GetString()!;

    private static string? Text(JsonElement doc, string name) =>
        doc.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>
    /// True when any string anywhere in <paramref name="element"/> (but under <paramref name="skip"/>) is exactly the ID.
    /// Every document kind keeps the IDs of its ids in fields of their own, and an exact match cannot take a service
    /// user "x:alice" for "alice".
    /// </summary>
    private static bool Names(JsonElement element, string userId, string? skip = null) => element.ValueKind switch
    {
        JsonValueKind.String => element.ValueEquals(userId),
        JsonValueKind.Array => element.EnumerateArray().Any(e => Names(e, userId)),
        JsonValueKind.Object => element.EnumerateObject().Any(p => p.Name != skip && Names(p.Value, userId)),
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Erased {Subject} {UserHash}: {LinkParties} link parties, {Transient} pending documents, {Audit} audit entries.")]
    private static partial void LogErased(ILogger logger, string subject, string userHash, int linkParties, int transient, int audit);
}
