using System.Text;
using LinkFunctions.Hosting;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// The body hostility every JSON route shares: not JSON, truncated, invalid UTF-8, too deep, not an object, over the
/// 64 KiB cap (413) or exactly at it, duplicated keys, keys in another case, any content type.
/// </summary>
public static class JsonBodies
{
    private const string InvalidMark = "@@INVALID-UTF8@@";

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xC0, 0x80], [0x80], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC3],
    ];

    private static readonly string[] NotJson = ["#", "}", "undefined", "{'a':1}", "{\"a\":}", "{\"a\" 1}", "{,}", "{\"a\":1,}", "NaN", "{\"a\":01}"];

    private static readonly string[] NotObject = ["[]", "\"text\"", "1", "true", "null", "[{}]", "-0", "\"{}\""];

    /// <summary>The request's body and the status the contract names for it; <paramref name="plan"/> decides once it parses.</summary>
    public static (string Kind, byte[] Body, bool ContentLength, int Expected) Build(Junk junk, BodyPlan plan)
    {
        var built = BuildAnyLength(junk, plan);

        // A plan's own junk (a 20,000-character ID, escaped six bytes a character) can overflow the cap by itself.
        return built.Body.Length > JsonRequestReader.MaxBytes ? built with { Expected = 413 } : built;
    }

    private static (string Kind, byte[] Body, bool ContentLength, int Expected) BuildAnyLength(Junk junk, BodyPlan plan)
    {
        var members = plan.Members;
        switch (junk.Next(20))
        {
            case 0:
                return ("empty-body", [], junk.Chance(0.5), 400);
            case 1:
                return ("not-json", Encoding.UTF8.GetBytes(junk.Pick(NotJson) + (junk.Chance(0.5) ? "" : junk.Text())), true, 400);
            case 2:
                var full = Encoding.UTF8.GetBytes(HostileHttp.Object(junk, members));
                return ("truncated-json", full[..junk.Next(1, full.Length)], true, 400);
            case 3 when plan.Field is not null:
                return ("invalid-utf8", Replace(With(members, plan.Field, $"\"a{InvalidMark}b\""), junk), true, 400);
            case 4:
                return ("invalid-utf8-anywhere", Replace([.. members, ("note", $"\"{InvalidMark}\"")], junk), true, 400);
            case 5 when plan.Field is not null:
                return ("lone-surrogate", Utf8(junk, With(members, plan.Field, junk.Pick("\"\\ud800\"", "\"a\\udfff\"", "\"\\ud83d\\u0041\""))), true, 400);
            case 6:
                return ("not-an-object", Encoding.UTF8.GetBytes(junk.Pick(NotObject)), true, 400);
            case 7:
                var depth = junk.Next(65, 400);
                return ("too-deep", Utf8(junk, [.. members, ("deep", new string('[', depth) + new string(']', depth))]), true, 400);
            case 8:
                var over = Pad(junk, members, JsonRequestReader.MaxBytes + junk.Next(1, 100_000));
                return ("over-cap", over, junk.Chance(0.5), 413);
            case 9:
                return ("at-cap:" + plan.Kind, Pad(junk, members, JsonRequestReader.MaxBytes), true, plan.Expected);
            case 10:
                // Web defaults bind property names case-insensitively, as ASP.NET Core does.
                return ("key-case:" + plan.Kind, Utf8(junk, [.. members.Select(m => (Shout(junk, m.Key), m.Raw))]), true, plan.Expected);
            case 11 when members.Any(m => m.Raw.StartsWith('"')):
                // The last of duplicate keys wins (System.Text.Json's default); the first is junk of the same JSON type.
                var (key, _) = junk.Pick([.. members.Where(m => m.Raw.StartsWith('"'))]);
                return ("duplicate-key:" + plan.Kind, Utf8(junk, [(key, HostileHttp.String(junk, junk.Text())), .. members]), true, plan.Expected);
            case 12:
                return ("unknown-members:" + plan.Kind, Utf8(junk, [.. members, ("extra", "{\"a\":[1,2,{}]}"), ("__proto__", "{}"), ("_x", "null")]), true, plan.Expected);
            default:
                return (plan.Kind, Utf8(junk, members), junk.Chance(0.9), plan.Expected);
        }
    }

    private static List<(string Key, string Raw)> With(List<(string Key, string Raw)> members, string field, string raw) =>
        [.. members.Where(m => m.Key != field), (field, raw)];

    private static byte[] Utf8(Junk junk, IEnumerable<(string Key, string Raw)> members) => Encoding.UTF8.GetBytes(HostileHttp.Object(junk, members));

    private static byte[] Replace(List<(string Key, string Raw)> members, Junk junk)
    {
        var text = HostileHttp.Object(junk, members);
        var at = text.IndexOf(InvalidMark, StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(text[..at]), .. junk.Pick(InvalidUtf8), .. Encoding.UTF8.GetBytes(text[(at + InvalidMark.Length)..])];
    }

    /// <summary>Exactly <paramref name="size"/> bytes: the members plus an ASCII pad member.</summary>
    private static byte[] Pad(Junk junk, List<(string Key, string Raw)> members, int size)
    {
        var bare = HostileHttp.Object(junk, [.. members, ("pad", "\"\"")]);
        var fill = size - Encoding.UTF8.GetByteCount(bare);
        return Encoding.UTF8.GetBytes(bare.Insert(bare.LastIndexOf("\"\"", StringComparison.Ordinal) + 1, new string('x', Math.Max(0, fill))));
    }

    private static string Shout(Junk junk, string key) => junk.Chance(0.5) ? key.ToUpperInvariant() : char.ToUpperInvariant(key[0]) + key[1..];
}
