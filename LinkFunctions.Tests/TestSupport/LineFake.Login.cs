using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LinkFunctions.Login;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace LinkFunctions.Tests.TestSupport;

/// <summary>What the fake's authorize step handed out: one code, and what the token request must match.</summary>
public sealed record LoginAuthorization(
    string Code, string State, string LineUserId, string ClientId, string RedirectUri, string Nonce, string CodeChallenge);

/// <summary>
/// LINE Login v2.1 on the fake: the test plays the user at the authorize page (<see cref="Authorize"/>), and the
/// token endpoint checks the code, redirect_uri, client credentials and PKCE verifier, then returns a real HS256 ID
/// token signed with the LINE Login channel secret.
/// </summary>
public sealed partial class LineFake
{
    public const string LoginChannelId = "2000000001";

    /// <summary>32 characters, as LINE issues them: the HS256 key is their UTF-8 bytes (256 bits).</summary>
    public const string LoginChannelSecret = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

    public const string LoginAccessToken = "fake-login-access-token";
    public const string LoginRefreshToken = "fake-login-refresh-token";

    private readonly ConcurrentDictionary<string, LoginAuthorization> authorizations = new(StringComparer.Ordinal);

    /// <summary>The client_secret the token endpoint expects (and, by default, signs ID tokens with).</summary>
    public string LoginSecret { get; set; } = LoginChannelSecret;

    /// <summary>Builds the ID token the token endpoint returns; null signs a valid one.</summary>
    public Func<LoginAuthorization, string>? IdTokenFactory { get; set; }

    /// <summary>The user approves on LINE's authorize page: checks the request and returns the code LINE would send back.</summary>
    public LoginAuthorization Authorize(Uri authorizeUrl, string lineUserId)
    {
        Assert.Equal("/oauth2/v2.1/authorize", authorizeUrl.AbsolutePath);
        var query = QueryHelpers.ParseQuery(authorizeUrl.Query);
        Assert.Equal("code", query["response_type"].Single());
        Assert.Equal("S256", query["code_challenge_method"].Single());
        Assert.Equal("openid profile", query["scope"].Single());
        Assert.False(query.ContainsKey("response_mode"));
        var authorization = new LoginAuthorization(
            LinkFunctions.Linking.Nonce.Create(), query["state"].Single()!, lineUserId, query["client_id"].Single()!, query["redirect_uri"].Single()!,
            query["nonce"].Single()!, query["code_challenge"].Single()!);
        authorizations[authorization.Code] = authorization;
        return authorization;
    }

    public static Dictionary<string, object> IdTokenClaims(LoginAuthorization authorization, DateTimeOffset? now = null)
    {
        var issuedAt = (now ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        return new Dictionary<string, object>
        {
            ["iss"] = LoginPolicy.Issuer,
            ["sub"] = authorization.LineUserId,
            ["aud"] = authorization.ClientId,
            ["exp"] = issuedAt + 3600,
            ["iat"] = issuedAt,
            ["nonce"] = authorization.Nonce,
            ["amr"] = new[] { "linesso" },
            ["name"] = "Taro Line",
        };
    }

    /// <summary>A compact JWS: HS256 over the given key bytes, or no signature at all for <c>alg: none</c>.</summary>
    public static string SignIdToken(IReadOnlyDictionary<string, object> claims, string secret = LoginChannelSecret, string alg = "HS256")
    {
        var header = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = alg, ["typ"] = "JWT" }));
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signingInput = $"{header}.{payload}";
        var signature = alg switch
        {
            "none" => "",
            "HS256" => Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(signingInput))),
            "HS512" => Base64Url.EncodeToString(HMACSHA512.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(signingInput))),
            _ => throw new ArgumentOutOfRangeException(nameof(alg)),
        };
        return $"{signingInput}.{signature}";
    }

    private void MapLineLogin(WebApplication app)
    {
        app.MapPost("/oauth2/v2.1/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var code = form["code"].ToString();
            if (form["grant_type"] == "refresh_token")
            {
                return Refresh(form);
            }

            // Single use, whatever the outcome, as LINE documents.
            if (form["grant_type"] != "authorization_code" || !authorizations.TryRemove(code, out var authorization))
            {
                return Results.Json(new { error = "invalid_grant", error_description = "invalid authorization code" }, statusCode: 400);
            }

            if (form["redirect_uri"] != authorization.RedirectUri || form["client_id"] != authorization.ClientId || form["client_secret"] != LoginSecret
                || Pkce.Challenge(form["code_verifier"].ToString()) != authorization.CodeChallenge)
            {
                return Results.Json(new { error = "invalid_grant", error_description = "redirect_uri, client or code_verifier mismatch" }, statusCode: 400);
            }

            var idToken = IdTokenFactory?.Invoke(authorization) ?? SignIdToken(IdTokenClaims(authorization), LoginSecret);
            return Results.Json(new Dictionary<string, object>
            {
                ["access_token"] = LoginAccessToken,
                ["expires_in"] = 2592000,
                ["id_token"] = idToken,
                ["refresh_token"] = LoginRefreshToken,
                ["scope"] = "openid profile",
                ["token_type"] = "Bearer",
                ["extra_property"] = "tolerated",
            });
        });
    }
}
