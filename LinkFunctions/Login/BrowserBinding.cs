using Microsoft.AspNetCore.Http;

namespace LinkFunctions.Login;

/// <summary>
/// The cookie that ties a state to the browser that started the login: without it, a victim could be made to
/// finish an attacker's login (or the reverse). Only its SHA-256 is stored beside the state.
/// </summary>
public static class BrowserBinding
{
    public static string? Read(HttpRequest request) => request.Cookies[LoginPolicy.BrowserBindingCookie];

    public static void Set(HttpResponse response, string value, DateTimeOffset expiresAt) =>
        response.Cookies.Append(LoginPolicy.BrowserBindingCookie, value, Options(expiresAt));

    public static void Clear(HttpResponse response) => response.Cookies.Delete(LoginPolicy.BrowserBindingCookie, Options(null));

    /// <summary>Lax, not Strict: LINE's redirect back to the callback is a cross-site top-level GET that must carry it.</summary>
    private static CookieOptions Options(DateTimeOffset? expiresAt) => new()
    {
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        Expires = expiresAt,
        IsEssential = true,
    };
}
