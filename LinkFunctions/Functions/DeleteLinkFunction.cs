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
        Identifiers.IsServiceUserId(serviceUserId)
            ? UnlinkAsync(unlinker.UnlinkServiceUserAsync(serviceUserId, Cause, request.HttpContext.RequestAborted))
            : Task.FromResult(HttpResults.BadRequest("invalid-service-user-id", Identifiers.ServiceUserIdRule));

    [Function("DeleteLinkByLineUser")]
    public Task<IActionResult> ByLineUser(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "links/line-users/{lineUserId}")] HttpRequest request, string lineUserId) =>
        Identifiers.IsLineUserId(lineUserId)
            ? UnlinkAsync(unlinker.UnlinkLineUserAsync(lineUserId, Cause, request.HttpContext.RequestAborted))
            : Task.FromResult(HttpResults.BadRequest("invalid-line-user-id", "lineUserId must match ^U[0-9a-f]{32}$."));

    private async Task<IActionResult> UnlinkAsync(Task<UnlinkResult> unlink)
    {
        try
        {
            await unlink;
            return new NoContentResult();
        }
        catch (Exception ex)
        {
            return DependencyFailure.Map(ex, logger);
        }
    }
}
