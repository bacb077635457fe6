using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinkFunctions.LineApi;

public sealed record TextMessage(string Text)
{
    [JsonPropertyOrder(-1)]
    public string Type => "text";
}

public sealed record ReplyMessageRequest(string ReplyToken, IReadOnlyList<TextMessage> Messages);

public sealed record PushMessageRequest(string To, IReadOnlyList<TextMessage> Messages);

/// <summary>Push with message objects the service built itself: passed to LINE as they came, already checked.</summary>
public sealed record RawPushMessageRequest(string To, JsonElement Messages);

/// <summary>LINE's id for a sent message and the token to quote it later; neither is a secret.</summary>
public sealed record SentMessage(string Id, string? QuoteToken);

/// <summary>The body of a push's 200, and of its 409 when the retry key was already accepted.</summary>
public sealed record PushMessageResponse(IReadOnlyList<SentMessage>? SentMessages);

public sealed record LinkTokenResponse(string? LinkToken);

public sealed record ChannelAccessTokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("token_type")] string? TokenType);

/// <summary>Source-generated serialisation for every LINE request and response we touch.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ReplyMessageRequest))]
[JsonSerializable(typeof(PushMessageRequest))]
[JsonSerializable(typeof(RawPushMessageRequest))]
[JsonSerializable(typeof(PushMessageResponse))]
[JsonSerializable(typeof(LinkTokenResponse))]
[JsonSerializable(typeof(ChannelAccessTokenResponse))]
public sealed partial class LineJsonContext : JsonSerializerContext;
