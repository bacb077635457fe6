using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace LinkFunctions.Tests.Proof;

/// <summary>Requests as the ASP.NET Core integration hands them over, with the encodings chosen by the seeded junk.</summary>
public static class HostileHttp
{
    public const string JsonType = "application/json";

    private static readonly JsonSerializerOptions RawText = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Content types a caller might send instead of JSON; the app reads the body whatever the header says.</summary>
    private static readonly string?[] ContentTypes =
    [
        JsonType, "application/json; charset=utf-8", null, "text/plain", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz", "application/xml", "application/json; charset=iso-8859-1", "*/*", "application/problem+json",
    ];

    public static HttpRequest Request(string method, string path, string query = "", byte[]? body = null, string? contentType = JsonType, bool contentLength = true)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("link.example.com");
        context.Request.PathBase = "/api";
        context.Request.Path = new PathString(path);
        context.Request.QueryString = new QueryString(query);
        context.Response.Body = new MemoryStream();
        if (body is not null)
        {
            context.Request.Body = new MemoryStream(body);
            context.Request.ContentLength = contentLength ? body.Length : null;
            context.Request.ContentType = contentType;
        }

        return context.Request;
    }

    public static string? ContentType(Junk junk) => junk.Chance(0.6) ? JsonType : junk.Pick(ContentTypes);

    /// <summary>
    /// A query string that decodes to exactly these pairs: every byte outside the unreserved set is escaped, and
    /// unreserved ones sometimes are too (<c>%41</c> for <c>A</c>), in either hex case; spaces become <c>+</c> or <c>%20</c>.
    /// </summary>
    public static string Query(Junk junk, params (string Name, string Value)[] pairs) =>
        pairs.Length == 0 ? "" : "?" + string.Join('&', pairs.Select(p => Encode(junk, p.Name) + "=" + Encode(junk, p.Value)));

    /// <summary>Parameters no route reads, repeated and encoded like the rest.</summary>
    public static (string, string)[] Noise(Junk junk) =>
        [.. Enumerable.Range(0, junk.Next(3)).Select(_ => (junk.Pick("utm_source", "x", "a[]", "callback", "_", "code_verifier"), junk.Text(20)))];

    private static string Encode(Junk junk, string value)
    {
        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~') && !junk.Chance(0.1))
            {
                encoded.Append(c);
            }
            else if (c == ' ' && junk.Chance(0.5))
            {
                encoded.Append('+');
            }
            else
            {
                encoded.Append('%').Append(b.ToString(junk.Chance(0.5) ? "X2" : "x2"));
            }
        }

        return encoded.ToString();
    }

    /// <summary>A JSON string literal: escaped as System.Text.Json does, raw UTF-8, or every character as <c>\uXXXX</c>.</summary>
    public static string String(Junk junk, string value) => junk.Next(3) switch
    {
        0 => JsonSerializer.Serialize(value),
        1 => JsonSerializer.Serialize(value, RawText),
        _ => "\"" + string.Concat(value.Select(c => $"\\u{(int)c:x4}")) + "\"",
    };

    /// <summary>An object from raw JSON members, with random whitespace; the same key may appear twice.</summary>
    public static string Object(Junk junk, IEnumerable<(string Key, string Raw)> members)
    {
        var space = junk.Pick("", " ", "\n  ", "\t");
        return "{" + space + string.Join("," + space, members.Select(m => $"{JsonSerializer.Serialize(m.Key)}:{space}{m.Raw}")) + space + "}";
    }
}
