using LinkFunctions.Hosting;
using LinkFunctions.Login;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Functions;

/// <summary>
/// Starts LINE Login in the user's browser: from a Delegated startUrl (<c>?session=…</c>), or in AppService mode for
/// the signed-in user (<c>?returnUrl=…</c>). Sets the browser-binding cookie, then redirects to LINE.
/// </summary>
public sealed class LineLoginStartFunction(
    LineLoginStartService logins, ReturnUrlAllowList returnUrls, ServiceUserResolver users, IOptions<AuthOptions> auth, IOptions<LineLoginOptions> options,
    ILogger<LineLoginStartFunction> logger)
{
    [Function("LineLoginStart")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "login/line")] HttpRequest request)
    {
        HttpResults.NoStore(request.HttpContext.Response);
        if (!options.Value.Enabled)
        {
            return LineLoginProblems.NotConfigured;
        }

        try
        {
            LineLoginStart? start;
            if (request.Query.ContainsKey("session"))
            {
                var session = LineLoginProblems.Single(request.Query["session"]);
                start = Linking.Identifiers.IsNonce(session) ? await logins.StartFromSessionAsync(session!, request.HttpContext.RequestAborted) : null;
                if (start is null)
                {
                    return HttpResults.NotFound("login-session-not-found", "The start link is unknown, expired or already used; start linking again from the service.");
                }
            }
            else
            {
                if (returnUrls.Match(LineLoginProblems.Single(request.Query["returnUrl"])) is not { } returnUrl)
                {
                    return LineLoginProblems.ReturnUrlNotAllowed;
                }

                if (auth.Value.Mode == AuthMode.Delegated)
                {
                    return HttpResults.BadRequest("login-session-required", "In Delegated mode the service's backend creates a startUrl with POST /api/login/line/sessions.");
                }

                if (!users.TryResolvePage(request, out var serviceUserId, out var answer))
                {
                    return answer;
                }

                start = await logins.StartAsync(serviceUserId, returnUrl, request.HttpContext.RequestAborted);
            }

            BrowserBinding.Set(request.HttpContext.Response, start.BrowserBinding, start.ExpiresAt);
            return new RedirectResult(start.AuthorizeUrl.AbsoluteUri);
        }
        catch (Exception ex)
        {
            return DependencyFailure.Map(ex, logger);
        }
    }
}
