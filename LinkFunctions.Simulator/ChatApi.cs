using System.Text.Json.Nodes;
using LinkFunctions.Simulator.Line;
using LinkFunctions.Simulator.Service;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Simulator;

/// <summary>What the chat page's script calls: users, the chat, the user's actions (each one a webhook), the inspector.</summary>
public sealed class ChatApi(LineUsers users, ReplyTokens replyTokens, WebhookSender webhooks, Inspector inspector, IdTokens idTokens, AppClient appClient,
    IOptions<SimulatorOptions> options)
{
    public sealed record NewUser(string? Name);

    public sealed record UserText(string? Text);

    public sealed record UserPostback(string? Data);

    public void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/sim/api");
        api.MapGet("/users", () => users.All);
        api.MapPost("/users", (NewUser body) => users.Create(body.Name ?? ""));
        api.MapGet("/users/{userId}/chat", (string userId, long? after) => users.Chat(userId, after ?? 0));
        api.MapPost("/users/{userId}/follow", (string userId) => Act(userId, user =>
        {
            user.IsFriend = true;
            users.Note(userId, "You added the Official Account as a friend.");
            return WebhookEvents.Follow(userId, replyTokens.Issue(userId));
        }, friendRequired: false));
        api.MapPost("/users/{userId}/unfollow", (string userId) => Act(userId, user =>
        {
            user.IsFriend = false;
            users.Note(userId, "You blocked the Official Account.");
            return WebhookEvents.Unfollow(userId);
        }));
        api.MapPost("/users/{userId}/messages", (string userId, UserText body) => Act(userId, _ =>
        {
            var text = body.Text ?? "";
            users.Append(userId, "user", new JsonObject { ["type"] = "text", ["text"] = text });
            return WebhookEvents.TextMessage(userId, replyTokens.Issue(userId), text);
        }));
        api.MapPost("/users/{userId}/postbacks", (string userId, UserPostback body) => Act(userId, _ =>
            WebhookEvents.Postback(userId, replyTokens.Issue(userId), body.Data ?? "")));
        api.MapGet("/users/{userId}/link", async (string userId) => await appClient.GetAsync($"api/links/line-users/{Uri.EscapeDataString(userId)}"));
        api.MapPost("/users/{userId}/liff-id-token", (string userId) =>
            users.Find(userId) is { } user
                ? Results.Json(new { idToken = idTokens.Es256(IdTokens.Claims(user, options.Value.LiffChannelId, null, "lineautologin")) })
                : Results.NotFound());
        api.MapGet("/inspector", (long? after) => inspector.Entries(after ?? 0));
        api.MapPost("/inspector/{id:long}/redeliver", async (long id) =>
            webhooks.RedeliverAsync(id) is { } redelivery ? Results.Json(await redelivery) : Results.NotFound());
        api.MapGet("/config", () => new { appBaseUrl = options.Value.AppBaseUrl, botUserId = WebhookSender.BotUserId });
    }

    private async Task<IResult> Act(string userId, Func<LineUser, JsonObject> makeEvent, bool friendRequired = true)
    {
        if (users.Find(userId) is not { } user)
        {
            return Results.NotFound();
        }

        if (friendRequired && !user.IsFriend)
        {
            return Results.Problem("Add the Official Account as a friend first.", statusCode: StatusCodes.Status409Conflict);
        }

        return Results.Json(await webhooks.SendAsync(makeEvent(user)));
    }
}
