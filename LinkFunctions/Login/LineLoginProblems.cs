using LinkFunctions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Primitives;

namespace LinkFunctions.Login;

/// <summary>The answers the LINE Login functions share.</summary>
public static class LineLoginProblems
{
    public static IActionResult NotConfigured => HttpResults.NotFound("line-login-not-configured", "LINE Login is not configured (LineLogin__ChannelId is not set).");

    /// <summary>Exactly 400, whatever the trick: an open redirector is never an option.</summary>
    public static IActionResult ReturnUrlNotAllowed => HttpResults.Problem(
        StatusCodes.Status400BadRequest, "return-url-not-allowed", "Bad request", "returnUrl must be an absolute URL under one of Linking__AllowedReturnUrls.");

    /// <summary>A parameter that appears more than once is as good as absent: which copy would a proxy have checked?</summary>
    public static string? Single(StringValues values) => values.Count == 1 ? values[0] : null;
}
