using System.Text.Json.Nodes;

namespace LinkFunctions.Simulator.Line;

/// <summary>Webhook events shaped as LINE sends them (Messaging API reference, "Webhook Event Objects").</summary>
public static class WebhookEvents
{
    public static JsonObject Follow(string userId, string replyToken)
    {
        var e = UserEvent("follow", userId, replyToken);
        e["follow"] = new JsonObject { ["isUnblocked"] = false };
        return e;
    }

    public static JsonObject Unfollow(string userId) => UserEvent("unfollow", userId, replyToken: null);

    public static JsonObject TextMessage(string userId, string replyToken, string text)
    {
        var e = UserEvent("message", userId, replyToken);
        e["message"] = new JsonObject { ["id"] = LineIds.NewMessageId(), ["type"] = "text", ["quoteToken"] = LineIds.NewToken(16), ["text"] = text };
        return e;
    }

    public static JsonObject Postback(string userId, string replyToken, string data)
    {
        var e = UserEvent("postback", userId, replyToken);
        e["postback"] = new JsonObject { ["data"] = data };
        return e;
    }

    /// <summary>LINE leaves out source and replyToken when linking failed.</summary>
    public static JsonObject AccountLink(string? userId, string? replyToken, string nonce, bool ok)
    {
        var e = ok ? UserEvent("accountLink", userId!, replyToken) : Common("accountLink");
        e["link"] = new JsonObject { ["result"] = ok ? "ok" : "failed", ["nonce"] = nonce };
        return e;
    }

    private static JsonObject UserEvent(string type, string userId, string? replyToken)
    {
        var e = Common(type);
        if (replyToken is not null)
        {
            e["replyToken"] = replyToken;
        }

        e["source"] = new JsonObject { ["type"] = "user", ["userId"] = userId };
        return e;
    }

    private static JsonObject Common(string type) => new()
    {
        ["type"] = type,
        ["mode"] = "active",
        ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        ["webhookEventId"] = LineIds.NewWebhookEventId(),
        ["deliveryContext"] = new JsonObject { ["isRedelivery"] = false },
    };
}
