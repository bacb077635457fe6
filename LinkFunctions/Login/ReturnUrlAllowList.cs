using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Login;

/// <summary>
/// Where a finished LINE Login may send the browser back to (<c>Linking__AllowedReturnUrls</c>). An entry matches
/// by exact origin (scheme, host, port) plus a segment-aware path prefix, so that no crafted returnUrl turns the
/// callback into an open redirector.
/// </summary>
public sealed class ReturnUrlAllowList(IOptions<LinkingOptions> options)
{
    public const int MaxLength = 2048;

    /// <summary>The normalised URL to redirect to, or null when the value is not allow-listed.</summary>
    public Uri? Match(string? candidate)
    {
        if (!TryParseStrict(candidate, out var url) || !string.IsNullOrEmpty(url.Fragment))
        {
            return null;
        }

        foreach (var entry in options.Value.AllowedReturnUrls)
        {
            if (TryParseStrict(entry, out var allowed) && SameOrigin(allowed, url) && PathWithin(allowed.AbsolutePath, url.AbsolutePath))
            {
                return url;
            }
        }

        return null;
    }

    /// <summary>Why a configured entry is unusable, or null when it is fine.</summary>
    public static string? EntryProblem(string entry)
    {
        if (!TryParseStrict(entry, out var url))
        {
            return "must be an absolute https URL (http for loopback only) with no user info, backslash or whitespace.";
        }

        return url.Fragment.Length > 0 || url.Query.Length > 0 ? "must have no query or fragment: entries are an origin plus a path prefix." : null;
    }

    /// <summary>
    /// Absolute http(s) only, with no user info and none of the characters that browsers and parsers read
    /// differently: a backslash (<c>https://allowed\@evil</c>), whitespace or control characters.
    /// </summary>
    private static bool TryParseStrict(string? value, out Uri url)
    {
        url = null!;
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength || value.Any(c => c is '\\' || c <= ' ' || c == '\u007f')
            || !Uri.TryCreate(value, UriKind.Absolute, out var parsed))
        {
            return false;
        }

        var https = parsed.Scheme == Uri.UriSchemeHttps;
        if (!(https || (parsed.Scheme == Uri.UriSchemeHttp && parsed.IsLoopback)) || parsed.UserInfo.Length > 0
            || !value.StartsWith(parsed.Scheme + "://", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        url = parsed;
        return true;
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    /// <summary><c>/app</c> allows <c>/app</c> and <c>/app/…</c> but not <c>/apple</c>.</summary>
    private static bool PathWithin(string prefix, string path) =>
        string.Equals(path, prefix, StringComparison.Ordinal)
        || (path.StartsWith(prefix, StringComparison.Ordinal) && (prefix.EndsWith('/') || path[prefix.Length] == '/'));
}
