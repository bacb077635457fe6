using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LinkFunctions.Tests.TestSupport;

/// <summary>A deauthorize call the fake accepted: the user access token it withdrew.</summary>
public sealed record Deauthorization(string UserAccessToken);

/// <summary>
/// LINE Login's deauthorize on the fake: the bearer must be a channel access token of the LINE Login channel (issued by
/// <c>/oauth2/v3/token</c> for its ID and secret), the body <c>{"userAccessToken"}</c>; 204 once per token, then
/// <c>400 {"message":"invalid token"}</c>, as LINE answers for a token already deauthorized. Refresh tokens are
/// exchanged for <see cref="RefreshedAccessToken"/>.
/// </summary>
public sealed partial class LineFake
{
    public const string LoginChannelAccessToken = "fake-login-channel-token";
    public const string RefreshedAccessToken = "fake-login-refreshed-access-token";

    private readonly ConcurrentDictionary<string, bool> deauthorizedTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Deauthorization> deauthorizations = new();

    public IReadOnlyList<Deauthorization> Deauthorizations => [.. deauthorizations];

    /// <summary>The channel token the fake's token endpoint issues for these client credentials, if any.</summary>
    private string? ChannelTokenFor(string? clientId, string? clientSecret) =>
        clientId == TestApp.ChannelId && clientSecret == TestApp.ChannelSecret ? AccessToken
        : clientId == LoginChannelId && clientSecret == LoginSecret ? LoginChannelAccessToken
        : null;

    private IResult Refresh(IFormCollection form) =>
        form["refresh_token"] == LoginRefreshToken && form["client_id"] == LoginChannelId && form["client_secret"] == LoginSecret
            ? Results.Json(new Dictionary<string, object>
            {
                ["access_token"] = RefreshedAccessToken, ["expires_in"] = 2592000, ["refresh_token"] = LoginRefreshToken, ["token_type"] = "Bearer",
            })
            : Results.Json(new { error = "invalid_grant", error_description = "invalid refresh token" }, statusCode: 400);

    private void MapDeauthorize(WebApplication app) =>
        app.MapPost("/user/v1/deauthorize", async (HttpRequest request) =>
        {
            if (request.Headers.Authorization != $"Bearer {LoginChannelAccessToken}")
            {
                return Results.Json(new { message = "Authentication failed" }, statusCode: 401);
            }

            using var body = await JsonDocument.ParseAsync(request.Body);
            var token = body.RootElement.TryGetProperty("userAccessToken", out var value) ? value.GetString() : null;
            if (token is not (LoginAccessToken or RefreshedAccessToken) || !deauthorizedTokens.TryAdd(token, true))
            {
                return Results.Json(new { message = "invalid token" }, statusCode: 400);
            }

            deauthorizations.Enqueue(new Deauthorization(token));
            return Results.NoContent();
        });
}
