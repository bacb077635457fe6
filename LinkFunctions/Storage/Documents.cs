using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinkFunctions.Storage;

public static class LinkStates
{
    public const string Linked = "linked";
    public const string Unlinked = "unlinked";
}

/// <summary>
/// One half of a link: <c>line:{pk}:{lineUserId}</c> or <c>user:{pk}:{serviceUserId}</c>. Both halves have this
/// shape, and a link is valid only when both exist, point at each other, are linked and share a <c>linkId</c>.
/// An unlinked half is a tombstone: its version stops an older or redelivered event from bringing a link back.
/// </summary>
public sealed record LinkDocument
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }
    public required string LineUserId { get; init; }
    public required string ServiceUserId { get; init; }
    public required string LinkId { get; init; }
    public required long Version { get; init; }
    public required string State { get; init; }
    public required string Method { get; init; }
    public required DateTimeOffset LinkedAt { get; init; }

    /// <summary>When this half was written: a lone half younger than the write grace may still be mid-write.</summary>
    public required DateTimeOffset WrittenAt { get; init; }

    /// <summary>
    /// The write-ahead record of a relink: this half as it was before this link took it over (itself without a
    /// record, so records never chain). Until the other half confirms this link, readers still serve the link kept
    /// here; a retry reads it to learn which partner to release, or what to put back if the relink loses.
    /// </summary>
    public LinkDocument? Replaces { get; init; }

    [JsonIgnore]
    public bool IsLinked => State == LinkStates.Linked;

    /// <summary>True when <paramref name="other"/> is the partner this half points at, for the same link.</summary>
    public bool Confirms(LinkDocument? other) =>
        other is not null && IsLinked && other.IsLinked && other.LinkId == LinkId
        && other.LineUserId == LineUserId && other.ServiceUserId == ServiceUserId && other.Id != Id;

    /// <summary>
    /// True when the link this half holds took effect: its partner confirms it, or has since moved on to a later link
    /// whose write-ahead record names this one (which it could only do after holding it).
    /// </summary>
    public bool Committed(LinkDocument? partner) => Confirms(partner) || (partner is not null && partner.Displaced(this));

    /// <summary>
    /// True when this half's write-ahead record names <paramref name="other"/>'s link. A tombstone in the record
    /// displaced nothing: that link had already been unlinked, and must not be released (or audited) as replaced.
    /// </summary>
    public bool Displaced(LinkDocument other) =>
        Replaces is { IsLinked: true } r && r.LinkId == other.LinkId && r.LineUserId == other.LineUserId && r.ServiceUserId == other.ServiceUserId;
}

public static class NonceStates
{
    public const string Pending = "pending";
    public const string Consumed = "consumed";
    public const string Failed = "failed";
}

/// <summary><c>nonce:{pk}:{nonce}</c>: the nonce's binding, and accountLink's dedupe record.</summary>
public sealed record NonceDocument
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }
    public required string ServiceUserId { get; init; }
    public required string ExpectedLineUserId { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required string Status { get; init; }
    public string? ConsumedByEventId { get; init; }

    /// <summary>Cleanup only; expiry is checked against <see cref="ExpiresAt"/>.</summary>
    [JsonPropertyName("ttl")]
    public required int Ttl { get; init; }
}

/// <summary><c>linktoken:{pk}:{sha256(token)}</c>: which LINE user a link token was issued for.</summary>
public sealed record LinkTokenDocument
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }
    public required string LineUserId { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }

    [JsonPropertyName("ttl")]
    public required int Ttl { get; init; }
}

/// <summary><c>event:{pk}:{key}</c>: a create-only marker that an event was acted on.</summary>
public sealed record EventMarkerDocument
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }
    public required string Type { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }

    [JsonPropertyName("ttl")]
    public required int Ttl { get; init; }
}

/// <summary>One append-only audit entry; counterpart IDs are stored only as salted hashes.</summary>
public sealed record AuditDocument
{
    /// <summary>Derived from <see cref="At"/> and <see cref="Key"/> (<see cref="ProviderKey.AuditId"/>), so ids sort newest first.</summary>
    [JsonPropertyName("id")]
    public string Id => ProviderKey.AuditId(At, Key);

    /// <summary>
    /// What makes the entry unique within its partition (e.g. the event or the link it records), under the container's
    /// unique key: a redelivered event or a retried unlink writes the same key at a later time and gets a 409.
    /// </summary>
    public required string Key { get; init; }

    /// <summary><c>{pk}:{serviceUserId}</c>, so a user's history is a single-partition query.</summary>
    public required string Partition { get; init; }
    public required string Action { get; init; }
    public required string Method { get; init; }
    public required DateTimeOffset At { get; init; }
    public string? LinkId { get; init; }

    /// <summary>On a <c>replaced</c> entry: the linkId of the link that displaced this one.</summary>
    public string? ReplacedBy { get; init; }
    public string? LineUserIdHash { get; init; }
    public string? HashSalt { get; init; }
    public string? Reason { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LinkDocument))]
[JsonSerializable(typeof(NonceDocument))]
[JsonSerializable(typeof(LinkTokenDocument))]
[JsonSerializable(typeof(LinkClaimDocument))]
[JsonSerializable(typeof(EventMarkerDocument))]
[JsonSerializable(typeof(AuditDocument))]
public sealed partial class StorageJsonContext : JsonSerializerContext;
