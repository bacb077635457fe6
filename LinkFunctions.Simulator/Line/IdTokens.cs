using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace LinkFunctions.Simulator.Line;

/// <summary>
/// LINE's ID tokens: ES256 with a key published in the JWKS (LIFF, <c>liff.getIDToken()</c>), and HS256 keyed with
/// the LINE Login channel secret (web login's token endpoint), with LINE's claims.
/// </summary>
public sealed class IdTokens : IDisposable
{
    public const string Issuer = "https://access.line.me";

    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string Kid { get; } = "simulator-" + LineIds.NewToken(6);

    public string Jwks()
    {
        var p = key.ExportParameters(includePrivateParameters: false);
        var jwk = new JsonObject
        {
            ["kty"] = "EC", ["crv"] = "P-256", ["kid"] = Kid, ["alg"] = "ES256", ["use"] = "sig",
            ["x"] = Base64Url.EncodeToString(p.Q.X), ["y"] = Base64Url.EncodeToString(p.Q.Y),
        };
        return new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString();
    }

    public static JsonObject Claims(LineUser user, string audience, string? nonce, string amr)
    {
        var now = DateTimeOffset.UtcNow;
        var claims = new JsonObject
        {
            ["iss"] = Issuer, ["sub"] = user.UserId, ["aud"] = audience,
            ["exp"] = now.AddHours(1).ToUnixTimeSeconds(), ["iat"] = now.ToUnixTimeSeconds(),
            ["amr"] = new JsonArray(amr), ["name"] = user.Name,
        };
        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }

        return claims;
    }

    public string Es256(JsonObject claims)
    {
        var input = SigningInput(new JsonObject { ["typ"] = "JWT", ["alg"] = "ES256", ["kid"] = Kid }, claims);
        return input + "." + Base64Url.EncodeToString(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));
    }

    public static string Hs256(JsonObject claims, string channelSecret)
    {
        var input = SigningInput(new JsonObject { ["typ"] = "JWT", ["alg"] = "HS256" }, claims);
        return input + "." + Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(channelSecret), Encoding.ASCII.GetBytes(input)));
    }

    /// <summary>LINE's verify endpoint: the claims of a token this simulator signed (either way), or null.</summary>
    public JsonObject? Verify(string idToken, string loginChannelSecret)
    {
        var parts = idToken.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!;
            var input = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            var signature = Base64Url.DecodeFromChars(parts[2]);
            var valid = header["alg"]?.GetValue<string>() switch
            {
                "ES256" => key.VerifyData(input, signature, HashAlgorithmName.SHA256),
                "HS256" => CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(Encoding.UTF8.GetBytes(loginChannelSecret), input), signature),
                _ => false,
            };
            var claims = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
            return valid && claims["exp"]!.GetValue<long>() > DateTimeOffset.UtcNow.ToUnixTimeSeconds() ? claims : null;
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
        {
            return null;
        }
    }

    public void Dispose() => key.Dispose();

    private static string SigningInput(JsonObject header, JsonObject claims) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.ToJsonString()));
}
