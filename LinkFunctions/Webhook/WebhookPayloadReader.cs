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
                reader.Read();
                reader.Skip();
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
        var e = new WebhookEvent();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                e = e with { Type = ReadString(ref reader) };
            }
            else if (reader.ValueTextEquals("mode"u8))
            {
                e = e with { Mode = ReadString(ref reader) };
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                e = e with { Timestamp = ReadInt64(ref reader) };
            }
            else if (reader.ValueTextEquals("webhookEventId"u8))
            {
                e = e with { WebhookEventId = ReadString(ref reader) };
            }
            else if (reader.ValueTextEquals("replyToken"u8))
            {
                e = e with { ReplyToken = ReadString(ref reader) };
            }
            else if (reader.ValueTextEquals("deliveryContext"u8))
            {
                e = ReadObject(ref reader, e, static (ref Utf8JsonReader r, WebhookEvent x) =>
                    r.ValueTextEquals("isRedelivery"u8) ? x with { IsRedelivery = ReadBoolean(ref r) } : Skip(ref r, x));
            }
            else if (reader.ValueTextEquals("source"u8))
            {
                e = ReadObject(ref reader, e, static (ref Utf8JsonReader r, WebhookEvent x) =>
                    r.ValueTextEquals("type"u8) ? x with { SourceType = ReadString(ref r) }
                    : r.ValueTextEquals("userId"u8) ? x with { SourceUserId = ReadString(ref r) }
                    : Skip(ref r, x));
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                e = ReadObject(ref reader, e, static (ref Utf8JsonReader r, WebhookEvent x) =>
                    r.ValueTextEquals("type"u8) ? x with { MessageType = ReadString(ref r) }
                    : r.ValueTextEquals("text"u8) ? x with { MessageText = ReadString(ref r) }
                    : Skip(ref r, x));
            }
            else if (reader.ValueTextEquals("link"u8))
            {
                e = ReadObject(ref reader, e, static (ref Utf8JsonReader r, WebhookEvent x) =>
                    r.ValueTextEquals("result"u8) ? x with { LinkResult = ReadString(ref r) }
                    : r.ValueTextEquals("nonce"u8) ? x with { LinkNonce = ReadString(ref r) }
                    : Skip(ref r, x));
            }
            else if (reader.ValueTextEquals("postback"u8))
            {
                e = ReadObject(ref reader, e, static (ref Utf8JsonReader r, WebhookEvent x) =>
                    r.ValueTextEquals("data"u8) ? x with { PostbackData = ReadString(ref r) } : Skip(ref r, x));
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return e;
    }

    private delegate WebhookEvent PropertyReader(ref Utf8JsonReader reader, WebhookEvent e);

    /// <summary>Reads a nested object's properties; a value of another kind is skipped, not an error.</summary>
    private static WebhookEvent ReadObject(ref Utf8JsonReader reader, WebhookEvent e, PropertyReader readProperty)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return e;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            e = readProperty(ref reader, e);
        }

        return e;
    }

    private static WebhookEvent Skip(ref Utf8JsonReader reader, WebhookEvent e)
    {
        reader.Read();
        reader.Skip();
        return e;
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
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
}
