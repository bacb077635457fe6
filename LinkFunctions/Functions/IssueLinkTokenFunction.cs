using LinkFunctions.Hosting;
using LinkFunctions.LineApi;
using LinkFunctions.Linking;
using LinkFunctions.Login;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Functions;

public sealed record IssueLinkTokenRequest(string? LineUserId, bool Send);

public sealed record IssueLinkTokenResponse(string LinkToken, Uri LinkUrl, DateTimeOffset ExpiresAt);

/// <summary>The service backend starts linking for a LINE user, optionally pushing the linking message.</summary>
public sealed class IssueLinkTokenFunction(
    LinkTokenService linkTokens, LineMessagingClient line, LineLoginProviderCheck providerCheck, ILogger<IssueLinkTokenFunction> logger)
{
    [Function("IssueLinkToken")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "links/token")] HttpRequest request)
    {
        HttpResults.NoStore(request.HttpContext.Response);
        var (body, error) = await JsonRequestReader.ReadAsync(request, ApiJsonContext.Default.IssueLinkTokenRequest);
        if (error is not null)
        {
            return error;
        }

        if (!Identifiers.IsLineUserId(body!.LineUserId))
        {
            return HttpResults.BadRequest("invalid-line-user-id", Identifiers.LineUserIdRule);
        }

        try
        {
            var issued = await linkTokens.IssueAsync(body.LineUserId!, request.HttpContext.RequestAborted);
            if (body.Send)
            {
                try
                {
                    await line.PushAsync(body.LineUserId!, linkTokens.Prompt(issued), Guid.NewGuid(), request.HttpContext.RequestAborted);
                }
                catch (LineApiException failure)
                {
                    // A 400/404 for a user linked by LINE Login usually means the two channels sit under different providers.
                    await providerCheck.ObserveAsync(body.LineUserId!, failure, request.HttpContext.RequestAborted);
                    throw;
                }
            }

            return HttpResults.Json(new IssueLinkTokenResponse(issued.LinkToken, issued.LinkUrl, issued.ExpiresAt), ApiJsonContext.Default.IssueLinkTokenResponse);
        }
        catch (Exception ex)
        {
            return DependencyFailure.Map(ex, logger);
        }
    }
}
