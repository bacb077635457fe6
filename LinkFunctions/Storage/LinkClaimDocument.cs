using System.Text.Json.Serialization;

namespace LinkFunctions.Storage;

/// <summary>
/// <c>linkclaim:{pk}:{sha256(token)}</c>: the first service user to claim a link token, and the nonce they were
/// given. Create-only, so that a leaked token cannot be bound to a second service account.
/// </summary>
public sealed record LinkClaimDocument
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }
    public required string ServiceUserId { get; init; }

    /// <summary>Kept so that the same user opening the link again is sent to the same LINE dialog URL.</summary>
    public required string Nonce { get; init; }
    public required DateTimeOffset NonceExpiresAt { get; init; }

    /// <summary>The link token's own expiry: the claim means nothing once the token is dead.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    [JsonPropertyName("ttl")]
    public required int Ttl { get; init; }
}
