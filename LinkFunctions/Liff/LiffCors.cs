using LinkFunctions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace LinkFunctions.Liff;

/// <summary>
/// The origin gate of the signed-in route. Every browser sends <c>Origin</c> on a POST, so a request without one, or
/// from an origin that is neither ours nor allow-listed, is refused. Allowed cross-origin callers get CORS headers
/// without <c>Allow-Credentials</c>: LINE's in-app browser blocks third-party cookies anyway, so such a caller
/// authenticates with an Easy Auth token header, and no cookie of ours ever rides along cross-site.
/// </summary>
public static class LiffCors
{
    public const string AllowedHeaders = "Content-Type, Authorization, X-ZUMO-AUTH";

    /// <summary>Null to go on; otherwise the answer (a refusal).</summary>
    public static IActionResult? Apply(HttpRequest request, LiffOrigins origins)
    {
        var values = request.Headers.Origin;
        var origin = values.Count == 1 ? values[0] : null;
        if (origin is null || (!origins.IsSameOrigin(origin) && !origins.IsAllowedCrossOrigin(origin)))
        {
            return HttpResults.Problem(
                StatusCodes.Status403Forbidden, "origin-not-allowed", "Forbidden",
                "Call this route from the LIFF endpoint on this app's origin, or from an origin in Liff__AllowedOrigins.");
        }

        var headers = request.HttpContext.Response.Headers;
        headers.Vary = "Origin";
        if (origins.IsSameOrigin(origin))
        {
            return null;
        }

        headers.AccessControlAllowOrigin = origin;
        if (HttpMethods.IsOptions(request.Method))
        {
            headers.AccessControlAllowMethods = "POST";
            headers.AccessControlAllowHeaders = AllowedHeaders;
            headers.AccessControlMaxAge = "600";
        }

        return null;
    }
}
