using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Functions;

/// <summary>
/// Erasure, by the service (<c>DELETE /api/users/{serviceUserId}</c>) or for a LINE user who asked the service
/// (<c>DELETE /api/line-users/{lineUserId}</c>). 204 whether or not anything was stored, and again on a repeat: the
/// answer says nothing about whether the user existed. Not under <c>links/</c>, so a key scoped to unlink does not
/// reach it.
/// </summary>
public sealed class EraseUserFunction(UserEraser eraser, ILogger<EraseUserFunction> logger)
{
    [Function("EraseUser")]
    public Task<IActionResult> ByServiceUser(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "users/{serviceUserId}")] HttpRequest request, string serviceUserId) =>
        UserIdRoute.ForServiceUser(
            serviceUserId, () => UserIdRoute.NoContentAsync(eraser.EraseServiceUserAsync(serviceUserId, request.HttpContext.RequestAborted)), logger);

    [Function("EraseLineUser")]
    public Task<IActionResult> ByLineUser(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "line-users/{lineUserId}")] HttpRequest request, string lineUserId) =>
        UserIdRoute.ForLineUser(
            lineUserId, () => UserIdRoute.NoContentAsync(eraser.EraseLineUserAsync(lineUserId, request.HttpContext.RequestAborted)), logger);
}
