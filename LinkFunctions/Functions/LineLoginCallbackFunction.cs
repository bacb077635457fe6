using LinkFunctions.Hosting;
using LinkFunctions.Login;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Functions;

/// <summary>
/// Where LINE Login sends the browser back. Anonymous at the host: the state and the browser-binding cookie are the
/// authentication. Redirects only to the returnUrl stored with a valid state, never to anything in the query.
/// </summary>
public sealed class LineLoginCallbackFunction(
    LineLoginCallbackService callbacks, IOptions<LineLoginOptions> options, ILogger<LineLoginCallbackFunction> logger)
{
    [Function("LineLoginCallback")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "login/line/callback")] HttpRequest request)
    {
        var response = request.HttpContext.Response;
        HttpResults.NoStore(response);
        if (!options.Value.Enabled)
        {
            return LineLoginProblems.NotConfigured;
        }

        var query = new LineLoginCallbackQuery(
            LineLoginProblems.Single(request.Query["state"]),
            LineLoginProblems.Single(request.Query["code"]),
            request.Query.ContainsKey("error") ? request.Query["error"].ToString() : null,
            LineLoginProblems.Single(request.Query["friendship_status_changed"]));
        try
        {
            var result = await callbacks.CompleteAsync(query, BrowserBinding.Read(request), request.HttpContext.RequestAborted);
            if (result.ClearCookie)
            {
                BrowserBinding.Clear(response);
            }

            return result.RedirectUrl is { } url ? new RedirectResult(url.AbsoluteUri) : LineLoginPages.Render(response, result.Page!.Value);
        }
        catch (Exception ex)
        {
            return DependencyFailure.Map(ex, logger);
        }
    }
}
