using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Liff;

/// <summary>
/// Which browser origins may call the signed-in LIFF route (AppService mode): this app's own origin, where the LIFF
/// endpoint should live, plus <c>Liff__AllowedOrigins</c>. A cross-site form or script carrying the user's Easy Auth
/// cookie would otherwise link the attacker's LINE account to the victim's service account.
/// </summary>
public sealed class LiffOrigins(IOptions<LinkingOptions> linking, IOptions<LiffOptions> liff)
{
    private readonly string own = OriginOf(linking.Value.PublicBaseUrl!);
    private readonly HashSet<string> crossOrigin = new(liff.Value.AllowedOriginList.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);

    public bool IsSameOrigin(string origin) => string.Equals(origin, own, StringComparison.OrdinalIgnoreCase);

    public bool IsAllowedCrossOrigin(string origin) => crossOrigin.Contains(origin);

    public static bool IsExactHttpsOrigin(string value) =>
        !value.Contains('*', StringComparison.Ordinal)
        && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && uri.Scheme == Uri.UriSchemeHttps
        && string.IsNullOrEmpty(uri.UserInfo)
        && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment)
        && string.Equals(OriginOf(uri), value.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    private static string OriginOf(Uri uri) => uri.GetLeftPart(UriPartial.Authority);
}
