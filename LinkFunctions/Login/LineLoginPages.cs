using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace LinkFunctions.Login;

/// <summary>
/// The callback's own pages, for when there is no trustworthy returnUrl to go back to. Static text only: nothing
/// from the request is echoed, and the CSP forbids scripts and every other resource.
/// </summary>
public static class LineLoginPages
{
    public static IActionResult Render(HttpResponse response, LoginPage page)
    {
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        response.Headers.XContentTypeOptions = "nosniff";
        return page switch
        {
            // 200, not 4xx: nothing is wrong with the request; LINE opened it in another browser (e.g. LINE's own).
            LoginPage.BrowserMismatch => Html(StatusCodes.Status200OK, "browser_mismatch", "Open the link in the browser you started from",
                "Linking was started in another browser, and LINE Login opened this one. Go back to the browser where you started (or start linking again from the service in this browser)."),
            _ => Html(StatusCodes.Status400BadRequest, "invalid_state", "This link has expired",
                "This LINE Login link is unknown, expired or already used. Go back to the service and start linking again."),
        };
    }

    private static ContentResult Html(int status, string code, string title, string text) => new()
    {
        StatusCode = status,
        ContentType = "text/html; charset=utf-8",
        Content = $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{title}</title></head>"
            + $"<body data-result=\"{code}\"><h1>{title}</h1><p>{text}</p></body></html>",
    };
}
