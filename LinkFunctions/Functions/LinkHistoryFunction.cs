using System.Globalization;
using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Functions;

public sealed record LinkHistoryResponse(IReadOnlyList<HistoryEntry> Items, string? ContinuationToken);

/// <summary>
/// <c>GET /api/links/users/{serviceUserId}/history?pageSize=&amp;continuationToken=</c>: the user's link changes,
/// newest first. An unknown user answers 200 with no items (see <see cref="LinkHistoryReader"/>).
/// </summary>
public sealed class LinkHistoryFunction(LinkHistoryReader history, ILogger<LinkHistoryFunction> logger)
{
    [Function("LinkHistory")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "links/users/{serviceUserId}/history")] HttpRequest request, string serviceUserId)
    {
        if (!Identifiers.IsServiceUserId(serviceUserId))
        {
            return UserIdRoute.InvalidServiceUserId();
        }

        var pageSize = LinkHistoryReader.DefaultPageSize;
        var size = request.Query["pageSize"];
        if (size.Count > 0
            && (size.Count > 1 || !int.TryParse(size[0], NumberStyles.None, CultureInfo.InvariantCulture, out pageSize)
                || pageSize is < 1 or > LinkHistoryReader.MaxPageSize))
        {
            return HttpResults.BadRequest("invalid-page-size", $"pageSize must be a whole number from 1 to {LinkHistoryReader.MaxPageSize}.");
        }

        var tokens = request.Query["continuationToken"];
        if (tokens.Count > 1 || !LinkHistoryReader.TryParseToken(tokens.Count == 1 ? tokens[0] : null, out var afterId))
        {
            return HttpResults.BadRequest("invalid-continuation-token", "continuationToken must be a value this API returned, unchanged.");
        }

        try
        {
            var page = await history.ReadAsync(serviceUserId, afterId, pageSize, request.HttpContext.RequestAborted);
            return HttpResults.Json(new LinkHistoryResponse(page.Items, page.ContinuationToken), ApiJsonContext.Default.LinkHistoryResponse);
        }
        catch (Exception ex)
        {
            return DependencyFailure.Map(ex, logger);
        }
    }
}
