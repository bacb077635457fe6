using System.Text.RegularExpressions;

namespace LinkFunctions.Telemetry;

/// <summary>
/// Rewrites text bound for telemetry so that it keeps its shape (which route, which LINE endpoint, which container)
/// but loses the values that identify a person or act as a credential: user IDs in our routes and LINE's, Cosmos
/// document ids (which embed LINE user IDs, service user IDs and nonces), and every query-string value (link tokens,
/// nonces, state, code, function keys).
/// </summary>
public static partial class TelemetryRedaction
{
    public const string Redacted = "{redacted}";

    private static readonly (Regex Pattern, string Replacement)[] Rules =
    [
        // Our routes, with any tail (/history) and their DELETE twins of the same shape.
        (OurLineUserRoute(), "$1{lineUserId}"),
        (OurServiceUserRoute(), "$1{serviceUserId}"),

        // LINE's: /v2/bot/user/{id}/linkToken, /v2/bot/profile/{id}, /v2/bot/{group|room}/{id}/member/{id}.
        (LineUserPath(), "$1{userId}"),
        (LineMemberPath(), "$1{chatId}$2{userId}"),

        // Cosmos gateway URLs name the document; ours embed the IDs (line:{p}:{id}, user:{p}:{id}, nonce:{p}:{nonce}).
        (CosmosDocumentPath(), "$1{id}"),
        (DocumentId(), "$1$2$3$4" + Redacted),

        (QueryValue(), "$1" + Redacted),
        (LineUserId(), "U" + Redacted),
    ];

    /// <summary>Null and empty pass through; otherwise every rule applies, so free text and URLs are both covered.</summary>
    public static string? Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var (pattern, replacement) in Rules)
        {
            text = pattern.Replace(text, replacement);
        }

        return text;
    }

    /// <summary>A URL with its query string dropped and its ID segments replaced.</summary>
    public static Uri? Url(Uri? url)
    {
        if (url is null)
        {
            return null;
        }

        var withoutQuery = url.IsAbsoluteUri ? url.GetLeftPart(UriPartial.Path) : url.OriginalString.Split('?', '#')[0];
        return new Uri(Text(withoutQuery)!, url.IsAbsoluteUri ? UriKind.Absolute : UriKind.Relative);
    }

    private const string Segment = @"[^/?#&\s""'<>]+";

    [GeneratedRegex("(/links/line-users/)" + Segment, RegexOptions.IgnoreCase)]
    private static partial Regex OurLineUserRoute();

    [GeneratedRegex("(/links/users/)" + Segment, RegexOptions.IgnoreCase)]
    private static partial Regex OurServiceUserRoute();

    [GeneratedRegex("(/v2/bot/(?:user|profile)/)" + Segment, RegexOptions.IgnoreCase)]
    private static partial Regex LineUserPath();

    [GeneratedRegex("(/v2/bot/(?:group|room)/)" + Segment + "(/member/)" + Segment, RegexOptions.IgnoreCase)]
    private static partial Regex LineMemberPath();

    [GeneratedRegex("(/docs/)" + Segment, RegexOptions.IgnoreCase)]
    private static partial Regex CosmosDocumentPath();

    [GeneratedRegex(@"\b(line|user|nonce|linktoken|linkclaim)(:|%3A)([^:%\s/""']+)(:|%3A)[^/?#&\s""',;)\]}]+", RegexOptions.IgnoreCase)]
    private static partial Regex DocumentId();

    [GeneratedRegex(@"([?&][A-Za-z0-9_.\-\[\]]+=)[^&#\s""'<>]*")]
    private static partial Regex QueryValue();

    [GeneratedRegex("U[0-9a-f]{32}(?![0-9a-f])")]
    private static partial Regex LineUserId();
}
