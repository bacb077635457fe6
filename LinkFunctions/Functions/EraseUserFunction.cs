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
        Identifiers.IsServiceUserId(serviceUserId)
            ? EraseAsync(eraser.EraseServiceUserAsync(serviceUserId, request.HttpContext.RequestAborted))
            : Task.FromResult(HttpResults.BadRequest("invalid-service-user-id", Identifiers.ServiceUserIdRule));

    [Function("EraseLineUser")]
    public Task<IActionResult> ByLineUser(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "line-users/{lineUserId}")] HttpRequest request, string lineUserId) =>
        Identifiers.IsLineUserId(lineUserId)
            ? EraseAsync(eraser.EraseLineUserAsync(lineUserId, request.HttpContext.RequestAborted))
            : Task.FromResult(HttpResults.BadRequest("invalid-line-user-id", "lineUserId must match ^U[0-9a-f]{32}$."));

    private async Task<IActionResult> EraseAsync(Task erase)
    {
        try
        {
            await erase;
            return new NoContentResult();
        }
        catch (Exception ex)
        {
            return DependencyFailure.Map(ex, logger);
        }
    }
}
