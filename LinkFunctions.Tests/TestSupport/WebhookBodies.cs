using System.Text.Json;

namespace LinkFunctions.Tests.TestSupport;

/// <summary>Webhook bodies shaped like LINE's reference samples.</summary>
public static class WebhookBodies
{
    public const string Destination = "U8e742f61d673b39c7fff3cecb7536ef0";

    public static string NewEventId() => Ulid();

    public static string Body(params object[] events) =>
        JsonSerializer.Serialize(new { destination = Destination, events });

    public static object TextMessage(string userId, string text, string? eventId = null, string sourceType = "user")
    {
        var e = UserEvent("message", userId, sourceType, eventId);
        e["message"] = new { id = "444573844083572737", type = "text", quoteToken = "q3Plxr4AgKd", text };
        return e;
    }

    /// <summary>A postback from a rich-menu or button action.</summary>
    public static Dictionary<string, object?> Postback(string userId, string data, string sourceType = "user")
    {
        var e = UserEvent("postback", userId, sourceType);
        e["postback"] = new { data };
        return e;
    }

    /// <summary>LINE sends unfollow without a reply token.</summary>
    public static Dictionary<string, object?> Unfollow(string userId)
    {
        var e = UserEvent("unfollow", userId, "user");
        e.Remove("replyToken");
        return e;
    }

    private static Dictionary<string, object?> UserEvent(string type, string userId, string sourceType, string? eventId = null) => new()
    {
        ["replyToken"] = Guid.NewGuid().ToString("N"),
        ["type"] = type,
        ["mode"] = "active",
        ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        ["source"] = sourceType == "user"
            ? new Dictionary<string, object?> { ["type"] = "user", ["userId"] = userId }
            : new Dictionary<string, object?> { ["type"] = sourceType, [sourceType + "Id"] = "C" + new string('a', 32), ["userId"] = userId },
        ["webhookEventId"] = eventId ?? NewEventId(),
        ["deliveryContext"] = new { isRedelivery = false },
    };

    public static Dictionary<string, object?> AccountLink(
        string? userId, string nonce, string result = "ok", string? eventId = null, long? timestamp = null, bool redelivery = false, string? replyToken = null)
    {
        var e = new Dictionary<string, object?>
        {
            ["type"] = "accountLink",
            ["mode"] = "active",
            ["timestamp"] = timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["webhookEventId"] = eventId ?? NewEventId(),
            ["deliveryContext"] = new { isRedelivery = redelivery },
            ["link"] = new { result, nonce },
        };
        if (result == "ok")
        {
            // LINE omits source and replyToken when linking failed.
            e["replyToken"] = replyToken ?? Guid.NewGuid().ToString("N");
            e["source"] = new { type = "user", userId };
        }

        return e;
    }

    public static string NewLineUserId() => "U" + Guid.NewGuid().ToString("N");

    private static string Ulid()
    {
        const string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        var random = Random.Shared;
        return string.Create(26, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[r.Next(alphabet.Length)];
            }
        });
    }
}
