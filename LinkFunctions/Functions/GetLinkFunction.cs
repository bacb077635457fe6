using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Functions;

public sealed record LinkResponse(string ServiceUserId, string LineUserId, string Method, DateTimeOffset LinkedAt);

/// <summary>Lookups both ways; each reads both halves of the link, so a half-written pair answers 404.</summary>
public sealed class GetLinkFunction(LinkReader reader, ILogger<GetLinkFunction> logger)
{
    [Function("GetLinkByServiceUser")]
    public Task<IActionResult> ByServiceUser(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "links/users/{serviceUserId}")] HttpRequest request, string serviceUserId) =>
        UserIdRoute.ForServiceUser(serviceUserId, () => FindAsync(reader.FindByServiceUserAsync(serviceUserId, request.HttpContext.RequestAborted)), logger);

    [Function("GetLinkByLineUser")]
    public Task<IActionResult> ByLineUser(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "links/line-users/{lineUserId}")] HttpRequest request, string lineUserId) =>
        UserIdRoute.ForLineUser(lineUserId, () => FindAsync(reader.FindByLineUserAsync(lineUserId, request.HttpContext.RequestAborted)), logger);

    private static async Task<IActionResult> FindAsync(Task<LinkView?> lookup) =>
        await lookup is { } link
            ? HttpResults.Json(new LinkResponse(link.ServiceUserId, link.LineUserId, link.Method, link.LinkedAt), ApiJsonContext.Default.LinkResponse)
            : HttpResults.NotFound("link-not-found", "No valid link.");
}
