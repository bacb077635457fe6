using System.Text.Json;

namespace LinkFunctions.Messaging;

/// <summary>
/// The checks LINE would make on a push's <c>messages</c> that we can make first, so a bad array answers the
/// service 400 (its fault) rather than 502 (LINE's refusal). Each object is otherwise passed through untouched.
/// </summary>
public static class PushMessages
{
    public const int MaxMessages = 5;

    /// <summary>
    /// Counted in UTF-16 code units (<see cref="string.Length"/>), LINE's unit for text positions: an emoji can
    /// count as two, so we may refuse a text LINE would take, but never forward one it would refuse.
    /// </summary>
    public const int MaxTextLength = 5000;

    /// <summary>Null when the array is acceptable, else a 400 detail that names the offending message.</summary>
    public static string? Problem(JsonElement messages)
    {
        if (messages.ValueKind != JsonValueKind.Array)
        {
            return "messages must be an array of 1-5 LINE message objects.";
        }

        var count = messages.GetArrayLength();
        if (count is 0 or > MaxMessages)
        {
            return $"messages must hold 1-{MaxMessages} message objects, not {count}.";
        }

        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (MessageProblem(message) is { } problem)
            {
                return $"messages[{index}]: {problem}";
            }

            index++;
        }

        return null;
    }

    private static string? MessageProblem(JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            return "each message must be a JSON object.";
        }

        if (!message.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString()!.Length == 0)
        {
            return "type must be a non-empty string.";
        }

        if (type.GetString() != "text")
        {
            return null;
        }

        return message.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String && text.GetString()!.Length is > 0 and <= MaxTextLength
            ? null
            : $"a text message needs text of 1-{MaxTextLength} characters (UTF-16 code units).";
    }
}
