using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace LinkFunctions.Tests.TestSupport;

/// <summary>
/// Stands in for LINE's ES256 signing: a generated P-256 key published as a JWKS, and real ES256 ID tokens as
/// <c>liff.getIDToken()</c> returns them. Tokens are assembled by hand so that tests can forge every part.
/// </summary>
public sealed class LiffIdTokens : IDisposable
{
    public const string LiffChannelId = "2000000001";
    public const string Issuer = "https://access.line.me";

    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public LiffIdTokens(string kid = "liff-test-key-1") => Kid = kid;

    public string Kid { get; }

    /// <summary>The public key as LINE publishes it: kty, crv, x, y, kid, alg, use.</summary>
    public JsonObject PublicJwk
    {
        get
        {
            var p = key.ExportParameters(includePrivateParameters: false);
            return new JsonObject
            {
                ["kty"] = "EC", ["crv"] = "P-256", ["kid"] = Kid, ["alg"] = "ES256", ["use"] = "sig",
                ["x"] = Base64UrlEncoder.Encode(p.Q.X), ["y"] = Base64UrlEncoder.Encode(p.Q.Y),
            };
        }
    }

    public static string Jwks(params LiffIdTokens[] signers) =>
        new JsonObject { ["keys"] = new JsonArray([.. signers.Select(s => (JsonNode)s.PublicJwk)]) }.ToJsonString();

    /// <summary>The claims LINE puts in a LIFF ID token, issued at <paramref name="issuedAt"/>, valid one hour.</summary>
    public static JsonObject Claims(string lineUserId, DateTimeOffset issuedAt, string audience = LiffChannelId) => new()
    {
        ["iss"] = Issuer,
        ["sub"] = lineUserId,
        ["aud"] = audience,
        ["exp"] = issuedAt.AddHours(1).ToUnixTimeSeconds(),
        ["iat"] = issuedAt.ToUnixTimeSeconds(),
        ["amr"] = new JsonArray("lineautologin"),
        ["name"] = "Taro Line",
        ["picture"] = "https://profile.line-scdn.net/abcdefghijklmn",
    };

    public JsonObject Header() => new() { ["typ"] = "JWT", ["alg"] = "ES256", ["kid"] = Kid };

    public string Sign(JsonObject claims) => Sign(Header(), claims);

    public string Sign(JsonObject header, JsonObject claims)
    {
        var input = SigningInput(header, claims);
        return input + "." + Base64UrlEncoder.Encode(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));
    }

    public static string SigningInput(JsonObject header, JsonObject claims) =>
        Base64UrlEncoder.Encode(header.ToJsonString()) + "." + Base64UrlEncoder.Encode(claims.ToJsonString());

    /// <summary>The algorithm-confusion forgery: HS256 keyed with public key material an attacker can read.</summary>
    public static string SignHs256(JsonObject header, JsonObject claims, byte[] secret)
    {
        var input = SigningInput(header, claims);
        return input + "." + Base64UrlEncoder.Encode(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)));
    }

    /// <summary>x‖y of the public key, the raw material of the classic RS/ES → HS confusion attack.</summary>
    public byte[] PublicKeyBytes()
    {
        var p = key.ExportParameters(includePrivateParameters: false);
        return [.. p.Q.X!, .. p.Q.Y!];
    }

    /// <summary>The same token with the other valid ECDSA signature (r, n − s): a different string, equally valid.</summary>
    public static string Malleate(string token)
    {
        var n = System.Numerics.BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);
        var dot = token.LastIndexOf('.');
        var signature = Base64UrlEncoder.DecodeBytes(token[(dot + 1)..]);
        var s = new System.Numerics.BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: true);
        var flipped = (n - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        var newS = new byte[32];
        flipped.CopyTo(newS, 32 - flipped.Length);
        return token[..(dot + 1)] + Base64UrlEncoder.Encode([.. signature.AsSpan(0, 32), .. newS]);
    }

    public void Dispose() => key.Dispose();
}
