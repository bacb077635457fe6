using System.Text.Json;
using System.Text.Unicode;

namespace LinkFunctions.Webhook;

/// <summary>
/// Reads a webhook body in one forward pass with <see cref="Utf8JsonReader"/>, taking only the fields the app
/// acts on. Deserialising whole event records costs about twice as much, and the webhook is the hot path.
/// </summary>
public static class WebhookPayloadReader
{
    public const int MaxDepth = 32;

    private static readonly JsonReaderOptions Options = new() { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow };

    // Values that recur in every body are matched in place and shared, not allocated per event.
    private static readonly string[] KnownValues =
    [
        "message", "follow", "unfollow", "accountLink", "postback", "join", "leave", "memberJoined", "memberLeft",
        "unsend", "videoPlayComplete", "beacon", "membership", "active", "standby", "user", "group", "room",
        "text", "image", "video", "audio", "file", "location", "sticker", "ok", "failed",
    ];

    private static readonly byte[][] KnownValuesUtf8 = [.. KnownValues.Select(v => System.Text.Encoding.UTF8.GetBytes(v))];

    /// <summary>
    /// Null with a reason only when the body itself is unusable: not UTF-8 JSON, not an object, no events array,
    /// or nested too deep. A malformed or unknown event is kept with whatever fields it had, never an error.
    /// </summary>
    public static WebhookPayload? TryRead(ReadOnlySpan<byte> body, out string? problem)
    {
        // LINE sends no BOM, but tolerating one costs nothing.
        if (body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            body = body[3..];
        }

        // Utf8JsonReader checks UTF-8 only in the strings it decodes, not in those it skips; one vectorised pass
        // makes "not UTF-8 JSON" a 400 however the bad bytes are placed.
        if (!Utf8.IsValid(body))
        {
            problem = "The body is not valid UTF-8.";
            return null;
        }

        try
        {
            return ReadBody(body, out problem);
        }
        catch (JsonException)
        {
            problem = $"The body is not well-formed JSON or is nested deeper than {MaxDepth} levels.";
            return null;
        }
    }

    private static WebhookPayload? ReadBody(ReadOnlySpan<byte> body, out string? problem)
    {
        var reader = new Utf8JsonReader(body, Options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            problem = "The top level of the body must be a JSON object.";
            return null;
        }

        string? destination = null;
        List<WebhookEvent>? events = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("destination"u8))
            {
                destination = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("events"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    problem = "\"events\" must be an array.";
                    return null;
                }

                events = ReadEvents(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        // Trailing content after the object (e.g. "{}{}") is not JSON; Read throws or returns a token.
        if (reader.Read())
        {
            throw new JsonException("Trailing content.");
        }

        if (events is null)
        {
            problem = "\"events\" must be an array.";
            return null;
        }

        problem = null;
        return new WebhookPayload(destination, events);
    }

    private static List<WebhookEvent> ReadEvents(ref Utf8JsonReader reader)
    {
        var events = new List<WebhookEvent>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                events.Add(ReadEvent(ref reader));
            }
            else
            {
                reader.Skip();
            }
        }

        return events;
    }

    private static WebhookEvent ReadEvent(ref Utf8JsonReader reader)
    {
        var e = new EventFields();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                e.Type = ReadKnownString(ref reader);
            }
            else if (reader.ValueTextEquals("mode"u8))
            {
                e.Mode = ReadKnownString(ref reader);
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                e.Timestamp = ReadInt64(ref reader);
            }
            else if (reader.ValueTextEquals("webhookEventId"u8))
            {
                e.WebhookEventId = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("replyToken"u8))
            {
                e.ReplyToken = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("deliveryContext"u8))
            {
                for (var more = EnterObject(ref reader); more; more = NextProperty(ref reader))
                {
                    if (reader.ValueTextEquals("isRedelivery"u8))
                    {
                        e.IsRedelivery = ReadBoolean(ref reader);
                    }
                    else
                    {
                        SkipValue(ref reader);
                    }
                }
            }
            else if (reader.ValueTextEquals("source"u8))
            {
                for (var more = EnterObject(ref reader); more; more = NextProperty(ref reader))
                {
                    if (reader.ValueTextEquals("type"u8))
                    {
                        e.SourceType = ReadKnownString(ref reader);
                    }
                    else if (reader.ValueTextEquals("userId"u8))
                    {
                        e.SourceUserId = ReadString(ref reader);
                    }
                    else
                    {
                        SkipValue(ref reader);
                    }
                }
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                for (var more = EnterObject(ref reader); more; more = NextProperty(ref reader))
                {
                    if (reader.ValueTextEquals("type"u8))
                    {
                        e.MessageType = ReadKnownString(ref reader);
                    }
                    else if (reader.ValueTextEquals("text"u8))
                    {
                        e.MessageText = ReadString(ref reader);
                    }
                    else
                    {
                        SkipValue(ref reader);
                    }
                }
            }
            else if (reader.ValueTextEquals("link"u8))
            {
                for (var more = EnterObject(ref reader); more; more = NextProperty(ref reader))
                {
                    if (reader.ValueTextEquals("result"u8))
                    {
                        e.LinkResult = ReadKnownString(ref reader);
                    }
                    else if (reader.ValueTextEquals("nonce"u8))
                    {
                        e.LinkNonce = ReadString(ref reader);
                    }
                    else
                    {
                        SkipValue(ref reader);
                    }
                }
            }
            else if (reader.ValueTextEquals("postback"u8))
            {
                for (var more = EnterObject(ref reader); more; more = NextProperty(ref reader))
                {
                    if (reader.ValueTextEquals("data"u8))
                    {
                        e.PostbackData = ReadString(ref reader);
                    }
                    else
                    {
                        SkipValue(ref reader);
                    }
                }
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return e.ToEvent();
    }

    /// <summary>Steps into a nested object's first property; a value of another kind is skipped, not an error.</summary>
    private static bool EnterObject(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        return NextProperty(ref reader);
    }

    private static bool NextProperty(ref Utf8JsonReader reader) => reader.Read() && reader.TokenType == JsonTokenType.PropertyName;

    private static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return Decode(ref reader);
        }

        reader.Skip();
        return null;
    }

    /// <summary>
    /// An escaped lone surrogate (<c>"\ud800"</c>) is well-formed JSON that names no text, and GetString throws on it:
    /// a malformed field like any other, not a failure that would make LINE redeliver the body for ever.
    /// </summary>
    private static string? Decode(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string? ReadKnownString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        if (!reader.ValueIsEscaped)
        {
            var value = reader.ValueSpan;
            for (var i = 0; i < KnownValuesUtf8.Length; i++)
            {
                if (value.SequenceEqual(KnownValuesUtf8[i]))
                {
                    return KnownValues[i];
                }
            }
        }

        return Decode(ref reader);
    }

    private static long? ReadInt64(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
        {
            return value;
        }

        reader.Skip();
        return null;
    }

    private static bool ReadBoolean(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
        {
            return reader.GetBoolean();
        }

        reader.Skip();
        return false;
    }

    /// <summary>One mutable set of fields per event, turned into the immutable record once at the end.</summary>
    private struct EventFields
    {
        public string? Type;
        public string? Mode;
        public long? Timestamp;
        public string? WebhookEventId;
        public bool IsRedelivery;
        public string? ReplyToken;
        public string? SourceType;
        public string? SourceUserId;
        public string? MessageType;
        public string? MessageText;
        public string? LinkResult;
        public string? LinkNonce;
        public string? PostbackData;

        public readonly WebhookEvent ToEvent() => new()
        {
            Type = Type,
            Mode = Mode,
            Timestamp = Timestamp,
            WebhookEventId = WebhookEventId,
            IsRedelivery = IsRedelivery,
            ReplyToken = ReplyToken,
            SourceType = SourceType,
            SourceUserId = SourceUserId,
            MessageType = MessageType,
            MessageText = MessageText,
            LinkResult = LinkResult,
            LinkNonce = LinkNonce,
            PostbackData = PostbackData,
        };
    }
}
