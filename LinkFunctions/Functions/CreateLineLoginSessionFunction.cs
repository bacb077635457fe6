using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using LinkFunctions.Login;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Functions;

public sealed record CreateLineLoginSessionRequest(string? ServiceUserId, string? ReturnUrl);

public sealed record CreateLineLoginSessionResponse(Uri StartUrl, DateTimeOffset ExpiresAt);

/// <summary>Delegated mode: the service's backend, having logged its user in, asks for a single-use LINE Login startUrl.</summary>
public sealed class CreateLineLoginSessionFunction(
    LineLoginStartService logins, ReturnUrlAllowList returnUrls, IOptions<LineLoginOptions> options, ILogger<CreateLineLoginSessionFunction> logger)
{
    [Function("CreateLineLoginSession")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "login/line/sessions")] HttpRequest request)
    {
        HttpResults.NoStore(request.HttpContext.Response);
        if (!options.Value.Enabled)
        {
            return LineLoginProblems.NotConfigured;
        }

        var (body, error) = await JsonRequestReader.ReadAsync(request, ApiJsonContext.Default.CreateLineLoginSessionRequest);
        if (error is not null)
        {
            return error;
        }

        if (!Identifiers.IsServiceUserId(body!.ServiceUserId))
        {
            return HttpResults.BadRequest("invalid-service-user-id", "serviceUserId must be 1-128 characters of [A-Za-z0-9._:@|-].");
        }

        if (returnUrls.Match(body.ReturnUrl) is not { } returnUrl)
        {
            return LineLoginProblems.ReturnUrlNotAllowed;
        }

        try
        {
            var session = await logins.CreateSessionAsync(body.ServiceUserId!, returnUrl, request.HttpContext.RequestAborted);
            return HttpResults.Json(new CreateLineLoginSessionResponse(session.StartUrl, session.ExpiresAt), ApiJsonContext.Default.CreateLineLoginSessionResponse);
        }
        catch (Exception ex)
        {
            return DependencyFailure.Map(ex, logger);
        }
    }
}
