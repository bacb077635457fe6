using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinkFunctions.Login;

/// <summary>
/// <c>loginsession:{pk}:{sha256(session)}</c> in the transient container: a Delegated-mode startUrl, deleted with
/// If-Match by the first browser that opens it.
/// </summary>
public sealed record LoginSessionDocument
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }
    public required string ServiceUserId { get; init; }
    public required string ReturnUrl { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }

    [JsonPropertyName("ttl")]
    public required int Ttl { get; init; }
}

/// <summary>
/// <c>state:{pk}:{sha256(state)}</c> in the transient container: one authorization request. Nonce and browser
/// binding are kept as hashes only; the code_verifier must be kept as is, because the token request sends it.
/// </summary>
public sealed record LoginStateDocument
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }
    public required string ServiceUserId { get; init; }
    public required string ReturnUrl { get; init; }
    public required string NonceHash { get; init; }
    public required string BrowserBindingHash { get; init; }
    public required string CodeVerifier { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }

    [JsonPropertyName("ttl")]
    public required int Ttl { get; init; }
}

/// <summary>A token under envelope encryption: its own data key, wrapped by the token key named by <see cref="KeyId"/>.</summary>
public sealed record WrappedToken(string KeyId, string WrappedKey, string Ciphertext);

/// <summary>
/// <c>grant:{pk}:{lineUserId}</c> in the links container, beside (not inside) the link halves so that
/// <c>LinkDocument</c> stays as it is. LINE requires <c>POST /user/v1/deauthorize</c> with the user's token when
/// the user unlinks; the lifecycle code unwraps it from here.
/// </summary>
public sealed record LineLoginGrantDocument
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }
    public required string LineUserId { get; init; }
    public required string ServiceUserId { get; init; }
    public required string LinkId { get; init; }
    public WrappedToken? AccessToken { get; init; }
    public DateTimeOffset? AccessTokenExpiresAt { get; init; }
    public WrappedToken? RefreshToken { get; init; }
    public string? Scope { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LoginSessionDocument))]
[JsonSerializable(typeof(LoginStateDocument))]
[JsonSerializable(typeof(LineLoginGrantDocument))]
public sealed partial class LoginJsonContext : JsonSerializerContext;
