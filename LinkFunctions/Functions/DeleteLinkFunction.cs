using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Functions;

/// <summary>
/// Unlink from the service's side, either way round. Idempotent: 204 whether or not a link existed, so a caller's retry
/// after a lost answer gets the same result.
/// </summary>
public sealed class DeleteLinkFunction(LinkUnlinker unlinker, ILogger<DeleteLinkFunction> logger)
{
    public const string Cause = "service";

    [Function("DeleteLinkByServiceUser")]
    public Task<IActionResult> ByServiceUser(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "links/users/{serviceUserId}")] HttpRequest request, string serviceUserId) =>
        UserIdRoute.ForServiceUser(
            serviceUserId, () => UserIdRoute.NoContentAsync(unlinker.UnlinkServiceUserAsync(serviceUserId, Cause, request.HttpContext.RequestAborted)), logger);

    [Function("DeleteLinkByLineUser")]
    public Task<IActionResult> ByLineUser(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "links/line-users/{lineUserId}")] HttpRequest request, string lineUserId) =>
        UserIdRoute.ForLineUser(
            lineUserId, () => UserIdRoute.NoContentAsync(unlinker.UnlinkLineUserAsync(lineUserId, Cause, request.HttpContext.RequestAborted)), logger);
}
