using System.Text.RegularExpressions;

namespace LinkFunctions.Linking;

/// <summary>The identifier grammar of the public contract; the same strings are storage keys.</summary>
public static partial class Identifiers
{
    /// <summary>The 400 detail wherever a service user ID is refused.</summary>
    public const string ServiceUserIdRule = "serviceUserId must be 1-128 characters of [A-Za-z0-9._:@|-], and not \".\" or \"..\".";

    /// <summary>The 400 detail wherever a LINE user ID is refused.</summary>
    public const string LineUserIdRule = "lineUserId must match ^U[0-9a-f]{32}$.";

    /// <summary>
    /// An opaque ID, not an e-mail address: it appears in URLs, document ids and logs. <c>.</c> and <c>..</c> are
    /// refused: they are dot segments, which URL normalisation removes from a path (RFC 3986 §5.2.4), so
    /// <c>/api/links/users/..</c> could never reach the lookup for that user.
    /// </summary>
    public static bool IsServiceUserId(string? value) => value is not null && ServiceUserIdPattern().IsMatch(value);

    public static bool IsLineUserId(string? value) => value is not null && LineUserIdPattern().IsMatch(value);

    public static bool IsLinkToken(string? value) => value is not null && LinkTokenPattern().IsMatch(value);

    /// <summary>Our nonces are 32 random bytes in base64url; anything else was never issued by us.</summary>
    public static bool IsNonce(string? value) => value is not null && NoncePattern().IsMatch(value);

    [GeneratedRegex("^(?!\\.{1,2}\\z)[A-Za-z0-9._:@|-]{1,128}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ServiceUserIdPattern();

    [GeneratedRegex("^U[0-9a-f]{32}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex LineUserIdPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{16,128}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex LinkTokenPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{43}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex NoncePattern();
}
