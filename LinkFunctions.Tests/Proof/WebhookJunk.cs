using System.Text;
using LinkFunctions.Tests.TestSupport;
using LinkFunctions.Webhook;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// Webhook bodies by class (design §3): usable ones answer 200 whatever their events hold (malformed events are
/// skipped); a body that is not UTF-8 JSON, not an object, has no events array or nests too deep answers 400.
/// </summary>
public static class WebhookJunk
{
    private static readonly string[] IgnoredTypes = ["join", "leave", "beacon", "memberJoined", "videoPlayComplete", "unsend", "things", "x-unknown", "membership"];

    private static readonly byte[][] InvalidUtf8 = [[0xFF], [0xC0, 0xAF], [0x80], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80]];

    public static (string Kind, byte[] Body, int Status) Body(Junk junk, List<string> secrets)
    {
        var events = Enumerable.Range(0, junk.Next(6)).Select(_ => Event(junk, secrets)).ToList();
        string Usable() => Object(junk, events);
        switch (junk.Next(24))
        {
            case 0:
                return ("verify", Utf8(Object(junk, [])), 200);
            case 1:
                var many = Enumerable.Range(0, junk.Next(200, 6000)).Select(_ => Ignored(junk)).ToList();
                return ("huge", Utf8(Object(junk, many)), 200);
            case 2:
                return ("at-cap", Pad(Usable(), WebhookBody.MaxBytes), 200);
            case 3:
                return ("over-cap", Pad(Usable(), WebhookBody.MaxBytes + junk.Next(1, 70_000)), 200);
            case 4:
                var full = Utf8(Usable());
                return ("truncated", full[..junk.Next(1, full.Length)], 400);
            case 5:
                var depth = junk.Next(40, 500);
                events.Insert(junk.Next(events.Count + 1), $"{{\"type\":\"message\",\"message\":{new string('[', depth)}{new string(']', depth)}}}");
                return ("too-deep", Utf8(Usable()), 400);
            case 6:
                var shallow = junk.Next(1, 20);
                events.Add($"{{\"type\":\"message\",\"message\":{{\"x\":{new string('[', shallow)}{new string(']', shallow)}}}}}");
                return ("nested", Utf8(Usable()), 200);
            case 7:
                return ("not-an-object", Utf8(junk.Pick("[]", "\"events\"", "1", "null", "true", $"[{Usable()}]")), 400);
            case 8:
                return ("events-not-array", Utf8($"{{\"destination\":\"{WebhookBodies.Destination}\",\"events\":{junk.Pick("{}", "\"[]\"", "1", "null", "true")}}}"), 400);
            case 9:
                return ("no-events", Utf8($"{{\"destination\":\"{WebhookBodies.Destination}\"}}"), 400);
            case 10:
                var text = Usable();
                var at = junk.Next(1, text.Length - 1);
                return ("invalid-utf8", [.. Utf8(text[..at]), .. junk.Pick(InvalidUtf8), .. Utf8(text[at..])], 400);
            case 11:
                var second = junk.Chance(0.5) ? "[" + string.Join(',', events) + "]" : junk.Pick("{}", "1", "null");
                return ("duplicate-events-key", Utf8($"{{\"events\":[{Ignored(junk)}],\"destination\":1,\"events\":{second}}}"), second.StartsWith('[') ? 200 : 400);
            case 12:
                return ("trailing-content", Utf8(Usable() + junk.Pick("x", "{}", "[]", ",", "}", "\0")), 400);
            case 13:
                return ("trailing-whitespace", Utf8(Usable() + junk.Pick(" ", "\r\n", "\t\n ")), 200);
            case 14:
                return ("bom", [0xEF, 0xBB, 0xBF, .. Utf8(Usable())], 200);
            case 15:
                return ("comment", Utf8(Usable().Insert(1, "/* c */")), 400);
            case 16:
                return ("wrong-destination", Utf8($"{{\"destination\":{junk.Pick("1", "{}", "[\"U\"]", "null")},\"events\":[{string.Join(',', events)}]}}"), 200);
            case 17:
                // Well-formed JSON that names no Unicode text: one malformed event, skipped like any other.
                var escape = junk.Pick("\\ud800", "\\udfff", "\\ud83d\\u0041", "a\\udbff");
                events.Add($"{{\"type\":\"message\",\"source\":{{\"type\":\"user\",\"userId\":\"{junk.LineUserId()}\"}},\"message\":{{\"type\":\"text\",\"text\":\"{escape}\"}}}}");
                return ("lone-surrogate", Utf8(Usable()), 200);
            default:
                return ("usable", Utf8(Usable()), 200);
        }
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Object(Junk junk, IEnumerable<string> events) =>
        $"{{\"destination\":{HostileHttp.String(junk, WebhookBodies.Destination)},\"events\":[{string.Join(',', events)}]}}";

    /// <summary>Exactly <paramref name="size"/> bytes: an extra top-level member the reader skips.</summary>
    private static byte[] Pad(string body, int size)
    {
        var bare = body.Insert(1, "\"pad\":\"\",");
        return Utf8(bare.Insert(8, new string('x', size - Encoding.UTF8.GetByteCount(bare))));
    }

    /// <summary>An event the app does nothing with: costs no Cosmos or LINE call.</summary>
    private static string Ignored(Junk junk) =>
        $"{{\"type\":\"{junk.Pick(IgnoredTypes)}\",\"mode\":\"active\",\"timestamp\":{junk.Next(int.MaxValue)},\"source\":{{\"type\":\"group\",\"groupId\":\"C{junk.Chars("0123456789abcdef", 32)}\"}}}}";

    /// <summary>One event: ignored, malformed, or one the app acts on with junk in it (unknown nonces, foreign users).</summary>
    private static string Event(Junk junk, List<string> secrets)
    {
        var userId = junk.Chance(0.7) ? junk.LineUserId() : junk.BadLineUserId();
        secrets.Add(userId);
        var source = junk.Chance(0.8) ? $"{{\"type\":\"user\",\"userId\":{S(junk, userId)}}}" : junk.Pick("\"user\"", "1", "null", "[]", $"{{\"type\":\"room\",\"roomId\":\"R1\",\"userId\":{S(junk, userId)}}}");
        var common = $"\"mode\":{junk.Pick("\"active\"", "\"standby\"", "1")},\"timestamp\":{junk.Pick("1700000000000", "\"x\"", "-1", "1e99", "null", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString())},"
            + $"\"webhookEventId\":{junk.Pick(S(junk, junk.Chars("0123456789ABCDEFGHJKMNPQRSTVWXYZ", 26)), "{}", "null")},\"deliveryContext\":{junk.Pick("{\"isRedelivery\":false}", "{\"isRedelivery\":\"yes\"}", "5")},"
            + $"\"replyToken\":{S(junk, junk.Chars("0123456789abcdef", 32))},\"source\":{source}";
        switch (junk.Next(10))
        {
            case 0:
                var nonce = junk.Chance(0.5) ? junk.Nonce() : junk.BadNonce();
                secrets.Add(nonce);
                return $"{{\"type\":\"accountLink\",{common},\"link\":{{\"result\":{junk.Pick("\"ok\"", "\"failed\"", "\"x\"", "1")},\"nonce\":{S(junk, nonce)}}}}}";
            case 1:
                return $"{{\"type\":\"message\",{common},\"message\":{{\"type\":\"text\",\"id\":\"1\",\"text\":{S(junk, junk.Chance(0.1) ? "link" : junk.Text(200))}}}}}";
            case 2:
                return $"{{\"type\":\"postback\",{common},\"postback\":{{\"data\":{S(junk, junk.Text())}}}}}";
            case 3:
                return $"{{\"type\":{junk.Pick("\"unfollow\"", "\"follow\"")},{common}}}";
            case 4:
                return $"{{\"type\":{junk.Pick("1", "null", "[]", "{}", "\"message\"")},\"type\":{S(junk, junk.Pick(IgnoredTypes))},{common},\"message\":{junk.Pick("[1]", "\"text\"", "{\"type\":2,\"text\":{}}")},\"link\":\"ok\"}}";
            case 5:
                return junk.Pick("1", "\"event\"", "null", "[]", "[{}]", "{}", "true");
            default:
                return Ignored(junk);
        }
    }

    /// <summary>A string escaped as a serialiser would, raw, or fully escaped: signed raw, so none may be re-serialised.</summary>
    private static string S(Junk junk, string value) => HostileHttp.String(junk, value);
}
