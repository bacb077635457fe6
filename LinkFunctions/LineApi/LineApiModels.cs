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

public sealed record LinkTokenResponse(string? LinkToken);

public sealed record ChannelAccessTokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("token_type")] string? TokenType);

/// <summary>Source-generated serialisation for every LINE request and response we touch.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ReplyMessageRequest))]
[JsonSerializable(typeof(PushMessageRequest))]
[JsonSerializable(typeof(LinkTokenResponse))]
[JsonSerializable(typeof(ChannelAccessTokenResponse))]
public sealed partial class LineJsonContext : JsonSerializerContext;
