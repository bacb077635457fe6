namespace LinkFunctions.Login;

/// <summary>The lifetimes and names the LINE Login flow depends on, in one place.</summary>
public static class LoginPolicy
{
    public const string Method = "line-login";

    /// <summary>
    /// <c>__Host-</c>: only ever set by this exact origin over https, with Path=/ and no Domain, so a sibling
    /// subdomain cannot plant a binding of its own.
    /// </summary>
    public const string BrowserBindingCookie = "__Host-line-login";

    /// <summary>LINE's authorization code lives 10 minutes; the state need not outlive it.</summary>
    public static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(10);

    /// <summary>A Delegated startUrl is a bearer link: short-lived, and spent by the first browser that opens it.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromMinutes(2);

    /// <summary>Clock skew tolerated on the ID token's <c>exp</c>.</summary>
    public static readonly TimeSpan IdTokenClockSkew = TimeSpan.FromSeconds(60);

    public const string Issuer = "https://access.line.me";
}
