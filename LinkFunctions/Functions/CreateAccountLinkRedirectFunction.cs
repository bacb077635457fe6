using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Functions;

public sealed record CreateAccountLinkRedirectRequest(string? LinkToken, string? ServiceUserId);

public sealed record CreateAccountLinkRedirectResponse(Uri RedirectUrl, DateTimeOffset ExpiresAt);

/// <summary>Delegated mode: the service's backend, having logged its user in, asks for the nonce redirect.</summary>
public sealed class CreateAccountLinkRedirectFunction(AccountLinkRedirectService redirects, ILogger<CreateAccountLinkRedirectFunction> logger)
{
    [Function("CreateAccountLinkRedirect")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "links/nonce")] HttpRequest request)
    {
        HttpResults.NoStore(request.HttpContext.Response);
        var (body, error) = await JsonRequestReader.ReadAsync(request, ApiJsonContext.Default.CreateAccountLinkRedirectRequest);
        if (error is not null)
        {
            return error;
        }

        if (!Identifiers.IsLinkToken(body!.LinkToken))
        {
            return HttpResults.BadRequest("invalid-link-token", "linkToken must match ^[A-Za-z0-9_-]{16,128}$.");
        }

        if (!Identifiers.IsServiceUserId(body.ServiceUserId))
        {
            return HttpResults.BadRequest("invalid-service-user-id", Identifiers.ServiceUserIdRule);
        }

        try
        {
            var redirect = await redirects.CreateAsync(body.LinkToken!, body.ServiceUserId!, request.HttpContext.RequestAborted);
            return redirect.Status switch
            {
                AccountLinkRedirectStatus.Ready => HttpResults.Json(
                    new CreateAccountLinkRedirectResponse(redirect.RedirectUrl!, redirect.ExpiresAt), ApiJsonContext.Default.CreateAccountLinkRedirectResponse),
                AccountLinkRedirectStatus.Claimed => HttpResults.Conflict(
                    "link-token-claimed", "Another serviceUserId already claimed this link token; ask the user to start linking again."),
                _ => HttpResults.NotFound("link-token-not-found", "The link token is unknown or expired; ask the user to start linking again."),
            };
        }
        catch (Exception ex)
        {
            return DependencyFailure.Map(ex, logger);
        }
    }
}
