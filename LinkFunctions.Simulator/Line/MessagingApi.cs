using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Simulator.Line;

/// <summary>
/// The Messaging API endpoints the app calls, with LINE's rules: stateless channel access tokens from the channel ID
/// and secret, link tokens, single-use reply tokens, push with X-Line-Retry-Key (a repeated key answers 409 with
/// x-line-accepted-request-id and sends nothing), and deauthorize.
/// </summary>
public sealed class MessagingApi(LineUsers users, LinkTokens linkTokens, ReplyTokens replyTokens, LoginApi login, IOptions<SimulatorOptions> options)
{
    public const string RetryKeyHeader = "X-Line-Retry-Key";

    private readonly ConcurrentDictionary<string, DateTimeOffset> channelTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string RequestId, JsonArray Sent)> acceptedRetryKeys = new(StringComparer.OrdinalIgnoreCase);

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/oauth2/v3/token", IssueChannelToken);
        app.MapPost("/v2/bot/user/{userId}/linkToken", (HttpRequest request, string userId) =>
            !Authorized(request) ? Unauthorized()
            : users.Find(userId) is null ? Results.Json(new { message = "The user ID is not a friend of the bot or does not exist" }, statusCode: 400)
            : Results.Json(new { linkToken = linkTokens.Issue(userId) }));
        app.MapPost("/v2/bot/message/reply", Reply);
        app.MapPost("/v2/bot/message/push", Push);
        app.MapPost("/user/v1/deauthorize", Deauthorize);
    }

    private async Task<IResult> IssueChannelToken(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "client_credentials" || form["client_id"] != options.Value.ChannelId || form["client_secret"] != options.Value.ChannelSecret)
        {
            return Results.Json(new { error = "invalid_client", error_description = "Invalid 'client_credentials'." }, statusCode: 400);
        }

        var token = LineIds.NewToken(32);
        channelTokens[token] = DateTimeOffset.UtcNow.AddMinutes(15);
        return Results.Json(new Dictionary<string, object> { ["token_type"] = "Bearer", ["access_token"] = token, ["expires_in"] = 900 });
    }

    private async Task<IResult> Reply(HttpRequest request)
    {
        if (!Authorized(request))
        {
            return Unauthorized();
        }

        var body = (await JsonNode.ParseAsync(request.Body))!;
        var userId = replyTokens.Spend(body["replyToken"]?.GetValue<string>());
        return userId is null
            ? Results.Json(new { message = "Invalid reply token" }, statusCode: 400)
            : Results.Json(new JsonObject { ["sentMessages"] = Deliver(userId, body["messages"]!.AsArray()) });
    }

    private async Task<IResult> Push(HttpRequest request, HttpResponse response)
    {
        if (!Authorized(request))
        {
            return Unauthorized();
        }

        var retryKey = request.Headers[RetryKeyHeader].FirstOrDefault();
        if (retryKey is not null && !Guid.TryParse(retryKey, out _))
        {
            return Results.Json(new { message = $"The value for the '{RetryKeyHeader}' header is invalid" }, statusCode: 400);
        }

        if (retryKey is not null && acceptedRetryKeys.TryGetValue(retryKey, out var accepted))
        {
            response.Headers["x-line-accepted-request-id"] = accepted.RequestId;
            return Results.Json(new JsonObject { ["message"] = "The retry key is already accepted", ["sentMessages"] = accepted.Sent.DeepClone() }, statusCode: 409);
        }

        var body = (await JsonNode.ParseAsync(request.Body))!;
        var to = body["to"]?.GetValue<string>();
        if (users.Find(to) is null)
        {
            return Results.Json(new { message = "Failed to send messages" }, statusCode: 400);
        }

        var sent = Deliver(to!, body["messages"]!.AsArray());
        if (retryKey is not null)
        {
            acceptedRetryKeys[retryKey] = (response.Headers["x-line-request-id"].ToString(), (JsonArray)sent.DeepClone());
        }

        return Results.Json(new JsonObject { ["sentMessages"] = sent });
    }

    private async Task<IResult> Deauthorize(HttpRequest request)
    {
        if (!Authorized(request))
        {
            return Unauthorized();
        }

        var body = await JsonNode.ParseAsync(request.Body);
        return login.Revoke(body?["userAccessToken"]?.GetValue<string>())
            ? Results.NoContent()
            : Results.Json(new { message = "The user access token is invalid" }, statusCode: 400);
    }

    private JsonArray Deliver(string userId, JsonArray messages)
    {
        var sent = new JsonArray();
        foreach (var message in messages)
        {
            users.Append(userId, "bot", message!);
            sent.Add(new JsonObject { ["id"] = LineIds.NewMessageId(), ["quoteToken"] = LineIds.NewToken(16) });
        }

        return sent;
    }

    private bool Authorized(HttpRequest request) =>
        request.Headers.Authorization.FirstOrDefault() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal)
        && channelTokens.TryGetValue(header["Bearer ".Length..], out var expiresAt) && DateTimeOffset.UtcNow < expiresAt;

    private static IResult Unauthorized() => Results.Json(new { message = "Authentication failed. Confirm that the access token in the authorization header is valid." }, statusCode: 401);
}
