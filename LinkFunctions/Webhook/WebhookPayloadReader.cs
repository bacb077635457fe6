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

    // Values that recur in every body are matched in place and shared, not allocated per event. Each field has its own
    // short list, so a lookup compares a handful of bytes rather than every known value.
    private static readonly KnownValues EventTypes = new(
        "message", "accountLink", "follow", "unfollow", "postback", "join", "leave", "memberJoined", "memberLeft", "unsend",
        "videoPlayComplete", "beacon", "membership");

    private static readonly KnownValues Modes = new("active", "standby");
    private static readonly KnownValues SourceTypes = new("user", "group", "room");
    private static readonly KnownValues MessageTypes = new("text", "image", "video", "audio", "file", "location", "sticker");
    private static readonly KnownValues LinkResults = new("ok", "failed");

    /// <summary>
    /// Decides, from the fields that route an event, whether the app acts on it. The reader materialises the other
    /// strings (ids, tokens, user ID, nonce) only for the events it keeps: most events are ones the app ignores.
    /// </summary>
    public delegate bool EventFilter(string? type, string? messageType, string? messageText, string? postbackData);

    /// <summary>
    /// Null with a reason only when the body itself is unusable: not UTF-8 JSON, not an object, no events array,
    /// or nested too deep. A malformed or unknown event is kept with whatever fields it had, never an error.
    /// </summary>
    public static WebhookPayload? TryRead(ReadOnlySpan<byte> body, out string? problem) => TryRead(body, null, out problem);

    /// <summary>As <see cref="TryRead(ReadOnlySpan{byte}, out string?)"/>, keeping only the events <paramref name="keep"/> accepts.</summary>
    public static WebhookPayload? TryRead(ReadOnlySpan<byte> body, EventFilter? keep, out string? problem)
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
            return ReadBody(body, keep, out problem);
        }
        catch (JsonException)
        {
            problem = $"The body is not well-formed JSON or is nested deeper than {MaxDepth} levels.";
            return null;
        }
    }

    private static WebhookPayload? ReadBody(ReadOnlySpan<byte> body, EventFilter? keep, out string? problem)
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

                events = ReadEvents(ref reader, body, keep);
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

    private static List<WebhookEvent> ReadEvents(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, EventFilter? keep)
    {
        var events = new List<WebhookEvent>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                var fields = ReadEvent(ref reader);
                if (fields.Kept(body, keep))
                {
                    events.Add(fields.ToEvent(body));
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return events;
    }

    private static EventFields ReadEvent(ref Utf8JsonReader reader)
    {
        var e = new EventFields();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Name(ref reader);
            if (name.SequenceEqual("type"u8))
            {
                e.Type = ReadKnownString(ref reader, EventTypes);
            }
            else if (name.SequenceEqual("message"u8))
            {
                for (var more = EnterObject(ref reader); more; more = NextProperty(ref reader))
                {
                    name = Name(ref reader);
                    if (name.SequenceEqual("type"u8))
                    {
                        e.MessageType = ReadKnownString(ref reader, MessageTypes);
                    }
                    else if (name.SequenceEqual("text"u8))
                    {
                        e.MessageText = ReadDeferred(ref reader);
                    }
                    else
                    {
                        SkipValue(ref reader);
                    }
                }
            }
            else if (name.SequenceEqual("replyToken"u8))
            {
                e.ReplyToken = ReadDeferred(ref reader);
            }
            else if (name.SequenceEqual("mode"u8))
            {
                e.Mode = ReadKnownString(ref reader, Modes);
            }
            else if (name.SequenceEqual("timestamp"u8))
            {
                e.Timestamp = ReadInt64(ref reader);
            }
            else if (name.SequenceEqual("source"u8))
            {
                for (var more = EnterObject(ref reader); more; more = NextProperty(ref reader))
                {
                    name = Name(ref reader);
                    if (name.SequenceEqual("type"u8))
                    {
                        e.SourceType = ReadKnownString(ref reader, SourceTypes);
                    }
                    else if (name.SequenceEqual("userId"u8))
                    {
                        e.SourceUserId = ReadDeferred(ref reader);
                    }
                    else
                    {
                        SkipValue(ref reader);
                    }
                }
            }
            else if (name.SequenceEqual("webhookEventId"u8))
            {
                e.WebhookEventId = ReadDeferred(ref reader);
            }
            else if (name.SequenceEqual("deliveryContext"u8))
            {
                for (var more = EnterObject(ref reader); more; more = NextProperty(ref reader))
                {
                    if (Name(ref reader).SequenceEqual("isRedelivery"u8))
                    {
                        e.IsRedelivery = ReadBoolean(ref reader);
                    }
                    else
                    {
                        SkipValue(ref reader);
                    }
                }
            }
            else if (name.SequenceEqual("link"u8))
            {
                for (var more = EnterObject(ref reader); more; more = NextProperty(ref reader))
                {
                    name = Name(ref reader);
                    if (name.SequenceEqual("result"u8))
                    {
                        e.LinkResult = ReadKnownString(ref reader, LinkResults);
                    }
                    else if (name.SequenceEqual("nonce"u8))
                    {
                        e.LinkNonce = ReadDeferred(ref reader);
                    }
                    else
                    {
                        SkipValue(ref reader);
                    }
                }
            }
            else if (name.SequenceEqual("postback"u8))
            {
                for (var more = EnterObject(ref reader); more; more = NextProperty(ref reader))
                {
                    if (Name(ref reader).SequenceEqual("data"u8))
                    {
                        e.PostbackData = ReadDeferred(ref reader);
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

        return e;
    }

    /// <summary>
    /// The current property name, unescaped: LINE escapes none, but a name written with escapes is the same name, and
    /// only such a rare name pays for a copy.
    /// </summary>
    private static ReadOnlySpan<byte> Name(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }

        var unescaped = new byte[reader.ValueSpan.Length];
        return unescaped.AsSpan(0, reader.CopyString(unescaped));
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

    private static string? ReadKnownString(ref Utf8JsonReader reader, KnownValues known)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        return (reader.ValueIsEscaped ? null : known.Find(reader.ValueSpan)) ?? Decode(ref reader);
    }

    /// <summary>Where a string value lies in the body; it becomes a string only if its event is kept.</summary>
    private static Deferred ReadDeferred(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            // TokenStartIndex is the opening quote; ValueSpan is the raw text between the quotes, escapes included.
            return new Deferred((int)reader.TokenStartIndex, reader.ValueSpan.Length, reader.ValueIsEscaped);
        }

        reader.Skip();
        return default;
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
        public Deferred WebhookEventId;
        public bool IsRedelivery;
        public Deferred ReplyToken;
        public string? SourceType;
        public Deferred SourceUserId;
        public string? MessageType;
        public Deferred MessageText;
        public string? LinkResult;
        public Deferred LinkNonce;
        public Deferred PostbackData;

        private string? messageText;
        private string? postbackData;

        /// <summary>Asks the filter with the routing fields; only the text or data it needs is materialised for it.</summary>
        public bool Kept(ReadOnlySpan<byte> body, EventFilter? keep)
        {
            if (keep is null)
            {
                return true;
            }

            messageText = Type == "message" && MessageType == "text" ? MessageText.ToString(body) : null;
            postbackData = Type == "postback" ? PostbackData.ToString(body) : null;
            return keep(Type, MessageType, messageText, postbackData);
        }

        public readonly WebhookEvent ToEvent(ReadOnlySpan<byte> body) => new()
        {
            Type = Type,
            Mode = Mode,
            Timestamp = Timestamp,
            WebhookEventId = WebhookEventId.ToString(body),
            IsRedelivery = IsRedelivery,
            ReplyToken = ReplyToken.ToString(body),
            SourceType = SourceType,
            SourceUserId = SourceUserId.ToString(body),
            MessageType = MessageType,
            MessageText = messageText ?? MessageText.ToString(body),
            LinkResult = LinkResult,
            LinkNonce = LinkNonce.ToString(body),
            PostbackData = postbackData ?? PostbackData.ToString(body),
        };
    }

    /// <summary>A JSON string value by position (default: absent or not a string).</summary>
    private readonly record struct Deferred(int QuoteIndex, int RawLength, bool Escaped)
    {
        // A string value never starts the body, so index 0 means none was read.
        public bool Present => QuoteIndex > 0;

        public string? ToString(ReadOnlySpan<byte> body)
        {
            if (!Present)
            {
                return null;
            }

            if (!Escaped)
            {
                // The body passed Utf8.IsValid, so this is the same string GetString would decode.
                return System.Text.Encoding.UTF8.GetString(body.Slice(QuoteIndex + 1, RawLength));
            }

            // Re-read the one token, quotes included, so that the reader's own unescaping applies.
            var token = new Utf8JsonReader(body.Slice(QuoteIndex, RawLength + 2));
            token.Read();
            return Decode(ref token);
        }
    }

    /// <summary>A short list of values shared as strings, looked up by their UTF-8 bytes.</summary>
    private sealed class KnownValues(params string[] values)
    {
        private readonly byte[][] utf8 = [.. values.Select(v => System.Text.Encoding.UTF8.GetBytes(v))];

        public string? Find(ReadOnlySpan<byte> value)
        {
            for (var i = 0; i < utf8.Length; i++)
            {
                if (value.SequenceEqual(utf8[i]))
                {
                    return values[i];
                }
            }

            return null;
        }
    }
}
