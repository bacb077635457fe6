using System.Text.Json.Serialization;

namespace LinkFunctions.Benchmarks;

// The whole LINE event, as a typical SDK models it, for the "full deserialisation" comparison only.
// Every field in the fixtures is bound (emojis and mention included); anything else would be skipped.

public sealed record LineWebhookBody(string? Destination, IReadOnlyList<LineEvent> Events);

public sealed record LineEvent(
    string? Type,
    string? Mode,
    long? Timestamp,
    LineSource? Source,
    string? WebhookEventId,
    LineDeliveryContext? DeliveryContext,
    string? ReplyToken,
    LineMessage? Message,
    LineLink? Link,
    LinePostback? Postback);

public sealed record LineSource(string? Type, string? UserId, string? GroupId, string? RoomId);

public sealed record LineDeliveryContext(bool IsRedelivery);

public sealed record LineMessage(
    string? Id, string? Type, string? QuoteToken, string? Text, IReadOnlyList<LineEmoji>? Emojis, LineMention? Mention);

public sealed record LineEmoji(int Index, int Length, string? ProductId, string? EmojiId);

public sealed record LineMention(IReadOnlyList<LineMentionee>? Mentionees);

public sealed record LineMentionee(int Index, int Length, string? Type, string? UserId, bool? IsSelf);

public sealed record LineLink(string? Result, string? Nonce);

public sealed record LinePostback(string? Data);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, MaxDepth = 32)]
[JsonSerializable(typeof(LineWebhookBody))]
public sealed partial class LineWebhookJsonContext : JsonSerializerContext;
