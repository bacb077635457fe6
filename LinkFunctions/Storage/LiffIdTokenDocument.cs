using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinkFunctions.Storage;

/// <summary>
/// <c>liffid:{pk}:{sha256(header.payload)}</c>: a LIFF ID token that was already used to link. Create-only, kept
/// until the token's own <c>exp</c>, after which the token is refused as expired anyway.
/// </summary>
public sealed record LiffIdTokenDocument
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Cleanup only.</summary>
    [JsonPropertyName("ttl")]
    public required int Ttl { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LiffIdTokenDocument))]
public sealed partial class LiffJsonContext : JsonSerializerContext;
