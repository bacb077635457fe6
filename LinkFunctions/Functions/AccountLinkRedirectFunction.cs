using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Functions;

/// <summary>
/// The linking URL the user opens in LINE. Delegated mode hands the browser to the service's own page; AppService
/// mode knows the signed-in user and sends the browser straight on to LINE with the nonce of its link-token claim.
/// </summary>
public sealed class AccountLinkRedirectFunction(
    AccountLinkRedirectService redirects, ServiceUserResolver users, IOptions<AuthOptions> auth, IOptions<LinkingOptions> linking,
    ILogger<AccountLinkRedirectFunction> logger)
{
    [Function("AccountLinkRedirect")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "link")] HttpRequest request)
    {
        HttpResults.NoStore(request.HttpContext.Response);
        var tokens = request.Query["linkToken"];
        var linkToken = tokens.Count == 1 ? tokens[0] : null;
        if (!Identifiers.IsLinkToken(linkToken))
        {
            return HttpResults.BadRequest("invalid-link-token", "linkToken must appear once and match ^[A-Za-z0-9_-]{16,128}$.");
        }

        if (auth.Value.Mode == AuthMode.Delegated)
        {
            return new RedirectResult(QueryHelpers.AddQueryString(linking.Value.ServiceLinkPageUrl!.AbsoluteUri, "linkToken", linkToken!));
        }

        if (!users.TryResolvePage(request, out var serviceUserId, out var answer))
        {
            return answer;
        }

        try
        {
            var redirect = await redirects.CreateAsync(linkToken!, serviceUserId, request.HttpContext.RequestAborted);
            return redirect.Status switch
            {
                AccountLinkRedirectStatus.Ready => new RedirectResult(redirect.RedirectUrl!.ToString()),
                AccountLinkRedirectStatus.Claimed => HttpResults.Conflict(
                    "link-token-claimed", "This linking URL was already opened by another account; send \"link\" to the Official Account again."),
                _ => HttpResults.NotFound("link-token-not-found", "The link token is unknown or expired; send \"link\" to the Official Account again."),
            };
        }
        catch (Exception ex)
        {
            return DependencyFailure.Map(ex, logger);
        }
    }
}
