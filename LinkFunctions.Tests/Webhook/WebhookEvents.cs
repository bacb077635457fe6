using LinkFunctions.Webhook;

namespace LinkFunctions.Tests.Webhook;

/// <summary>Parsed events shaped like LINE's, for the handler and dispatcher tests.</summary>
internal static class WebhookEvents
{
    public const string LineUserId = "U4af4980629f4e5e0aa5e3c8f5b1b2c3d";

    public static WebhookEvent Text(string text, string sourceType = "user", string? userId = LineUserId, string? eventId = "01FZ74A0TDDPYRVKNK77XKC3ZR") => new()
    {
        Type = "message",
        Mode = "active",
        Timestamp = 1764072000000,
        WebhookEventId = eventId,
        ReplyToken = "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA",
        SourceType = sourceType,
        SourceUserId = userId,
        MessageType = "text",
        MessageText = text,
    };

    public static WebhookEvent Follow(string? userId = LineUserId) => new()
    {
        Type = "follow",
        Mode = "active",
        Timestamp = 1764072000000,
        WebhookEventId = "01HMQGW40RZJPJM3RAJP7BHC2Q",
        ReplyToken = "85cbe770fa8b4f45bbe077b1d4be4a36",
        SourceType = "user",
        SourceUserId = userId,
    };
}
