using System.Text.Json;
using LinkFunctions.Hosting;
using LinkFunctions.Liff;
using LinkFunctions.Linking;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Functions;

/// <summary>
/// The raw ID token from <c>liff.getIDToken()</c>. <c>userId</c>, <c>lineUserId</c> and <c>profile</c> are declared
/// only to be refused: LINE says the server must take the user from the token, never from the client.
/// </summary>
public sealed record LiffLinkRequest(string? IdToken, string? ServiceUserId, JsonElement UserId, JsonElement LineUserId, JsonElement Profile);

/// <summary>
/// LIFF linking. <c>LiffLink</c> is for the service backend (function key), which vouches for <c>serviceUserId</c> as it
/// does for <c>/links/nonce</c>. A browser never holds a function key, so AppService mode's LIFF page calls
/// <c>LiffLinkSignedIn</c>, where Easy Auth names the user and only allowed origins get through.
/// </summary>
public sealed class LiffLinkFunction(
    LiffLinkService liff, LiffOrigins origins, ServiceUserResolver users, IOptions<AuthOptions> auth, ILogger<LiffLinkFunction> logger)
{
    [Function("LiffLink")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "links/liff")] HttpRequest request)
    {
        HttpResults.NoStore(request.HttpContext.Response);
        if (!liff.IsConfigured)
        {
            return NotConfigured;
        }

        var (body, error) = await ReadAsync(request, serviceUserIdAllowed: true);
        if (error is not null)
        {
            return error;
        }

        return Identifiers.IsServiceUserId(body!.ServiceUserId)
            ? await LinkAsync(body.IdToken!, body.ServiceUserId!, request)
            : HttpResults.BadRequest("invalid-service-user-id", "serviceUserId must be 1-128 characters of [A-Za-z0-9._:@|-].");
    }

    [Function("LiffLinkSignedIn")]
    public async Task<IActionResult> RunSignedIn(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = "links/liff/me")] HttpRequest request)
    {
        var response = request.HttpContext.Response;
        HttpResults.NoStore(response);
        if (auth.Value.Mode != AuthMode.AppService)
        {
            return HttpResults.NotFound("app-service-mode-only", "This route serves AppService mode; in Delegated mode the service backend calls POST /api/links/liff.");
        }

        if (!liff.IsConfigured)
        {
            return NotConfigured;
        }

        var cors = LiffCors.Apply(request, origins);
        if (cors is not null || HttpMethods.IsOptions(request.Method))
        {
            return cors ?? new NoContentResult();
        }

        var user = users.Resolve(request);
        if (user.Status != ServiceUserStatus.Authenticated)
        {
            // A script's call, not a page: it gets a status to act on, not a login redirect it cannot follow.
            return user.Status == ServiceUserStatus.Unauthenticated
                ? HttpResults.Problem(StatusCodes.Status401Unauthorized, "not-signed-in", "Unauthorized", "Sign in to the service first (App Service Authentication).")
                : HttpResults.Problem(StatusCodes.Status403Forbidden, "service-user-refused", "Forbidden", user.Problem);
        }

        var (body, error) = await ReadAsync(request, serviceUserIdAllowed: false);
        return error ?? await LinkAsync(body!.IdToken!, user.Id!, request);
    }

    private static IActionResult NotConfigured =>
        HttpResults.NotFound("liff-not-configured", "LIFF linking is off: set Liff__ChannelId to the LIFF app's LINE Login channel ID.");

    private static async Task<(LiffLinkRequest? Body, IActionResult? Error)> ReadAsync(HttpRequest request, bool serviceUserIdAllowed)
    {
        var (body, error) = await JsonRequestReader.ReadAsync(request, ApiJsonContext.Default.LiffLinkRequest);
        if (error is not null)
        {
            return (null, error);
        }

        if (body!.UserId.ValueKind != JsonValueKind.Undefined || body.LineUserId.ValueKind != JsonValueKind.Undefined
            || body.Profile.ValueKind != JsonValueKind.Undefined || (!serviceUserIdAllowed && body.ServiceUserId is not null))
        {
            // Refused rather than ignored: a front end that sends them is doing what LINE forbids and should hear so.
            return (null, HttpResults.BadRequest(
                "client-identity-refused",
                serviceUserIdAllowed
                    ? "Send only the raw idToken (and serviceUserId): userId, lineUserId and profile are taken from the verified token, never from the client."
                    : "Send only the raw idToken: the service user is the signed-in one, and the LINE user comes from the verified token."));
        }

        return string.IsNullOrEmpty(body.IdToken)
            ? (null, HttpResults.BadRequest("missing-id-token", "idToken must be the raw ID token from liff.getIDToken()."))
            : (body, null);
    }

    private async Task<IActionResult> LinkAsync(string idToken, string serviceUserId, HttpRequest request)
    {
        try
        {
            var result = await liff.LinkAsync(idToken, serviceUserId, request.HttpContext.RequestAborted);
            return result.Status switch
            {
                LiffLinkStatus.Linked => HttpResults.Json(
                    new LinkResponse(result.Link!.ServiceUserId, result.Link.LineUserId, result.Link.Method, result.Link.LinkedAt), ApiJsonContext.Default.LinkResponse),
                LiffLinkStatus.Superseded => HttpResults.Problem(
                    StatusCodes.Status409Conflict, "link-superseded", "Conflict", "A newer link or unlink for this user won; nothing changed."),
                _ => HttpResults.Problem(
                    StatusCodes.Status401Unauthorized, "invalid-id-token", "Unauthorized",
                    "The ID token is not valid for this LIFF app, is older than 10 minutes, or was already used; get a fresh one with liff.getIDToken()."),
            };
        }
        catch (LiffKeysUnavailableException)
        {
            return HttpResults.Problem(StatusCodes.Status503ServiceUnavailable, "jwks-unavailable", "Dependency unavailable", "LINE's signing keys could not be fetched; try again.");
        }
        catch (Exception ex)
        {
            return DependencyFailure.Map(ex, logger);
        }
    }
}
