using System.Text.Json;
using LinkFunctions.Functions;
using LinkFunctions.Hosting;
using LinkFunctions.Storage;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace LinkFunctions.Tests.EndToEnd;

/// <summary>The lifecycle routes driven through the real functions: link, unlink, history, erasure.</summary>
public sealed class LifecycleFlow(TestApp app, LineFake line)
{
    public LinkingFlow Linking => new(app, line);

    /// <summary>Keyword, nonce redirect and accountLink; returns the linkId.</summary>
    public async Task<string> LinkAsync(string lineUserId, string serviceUserId)
    {
        var nonce = await Linking.OpenLinkingUrlAsync(await Linking.SendKeywordAsync(lineUserId), serviceUserId);
        Assert.Equal(200, HttpRequests.Status(await Linking.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(lineUserId, nonce)))));
        return ProviderKey.Sha256Hex(nonce);
    }

    public async Task<int> UnlinkAsync(string serviceUserId) =>
        HttpRequests.Status(await app.Function<DeleteLinkFunction>().ByServiceUser(Delete($"/api/links/users/{serviceUserId}"), serviceUserId));

    public async Task<int> EraseAsync(string serviceUserId) =>
        HttpRequests.Status(await app.Function<EraseUserFunction>().ByServiceUser(Delete($"/api/users/{serviceUserId}"), serviceUserId));

    public async Task<int> EraseLineUserAsync(string lineUserId) =>
        HttpRequests.Status(await app.Function<EraseUserFunction>().ByLineUser(Delete($"/api/line-users/{lineUserId}"), lineUserId));

    public Task<IActionResult> HistoryAsync(string serviceUserId, string query = "") =>
        app.Function<LinkHistoryFunction>().Run(HttpRequests.Get($"/api/links/users/{serviceUserId}/history", query), serviceUserId);

    public async Task<LinkHistoryResponse> HistoryPageAsync(string serviceUserId, string query = "")
    {
        var result = await HistoryAsync(serviceUserId, query);
        Assert.True(HttpRequests.Status(result) == 200, HttpRequests.Content(result));
        return JsonSerializer.Deserialize(HttpRequests.Content(result), ApiJsonContext.Default.LinkHistoryResponse)!;
    }

    private static HttpRequest Delete(string path)
    {
        var request = HttpRequests.Get(path);
        request.Method = HttpMethods.Delete;
        return request;
    }
}
