using LinkFunctions.Functions;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace LinkFunctions.Tests.EndToEnd;

/// <summary>The user's steps of Messaging API account linking, driven through the real functions.</summary>
public sealed class LinkingFlow(TestApp app, LineFake line)
{
    public Task<IActionResult> WebhookAsync(string body) =>
        app.Function<LineWebhookFunction>().Run(HttpRequests.SignedWebhook(body));

    /// <summary>Steps 1-2: the user writes "link"; returns the link token from the linking URL in the reply.</summary>
    public async Task<string> SendKeywordAsync(string lineUserId)
    {
        var before = line.CallsTo("/v2/bot/message/reply").Count;
        var result = await WebhookAsync(WebhookBodies.Body(WebhookBodies.TextMessage(lineUserId, "link")));
        Assert.Equal(200, HttpRequests.Status(result));
        var replies = line.CallsTo("/v2/bot/message/reply");
        Assert.Equal(before + 1, replies.Count);
        var text = LineFake.ReplyText(replies[^1])!;
        var url = new Uri(text.Split('\n').Single(l => l.StartsWith("https://", StringComparison.Ordinal)));
        Assert.Equal($"{TestApp.PublicBaseUrl.Host}/api/link", url.Host + url.AbsolutePath);
        return QueryHelpers.ParseQuery(url.Query)["linkToken"].Single()!;
    }

    /// <summary>Steps 3-4: the signed-in user opens the linking URL; returns the nonce LINE is sent.</summary>
    public async Task<string> OpenLinkingUrlAsync(string linkToken, string serviceUserId)
    {
        var request = HttpRequests.Get("/api/link", QueryString("linkToken", linkToken)).AsServiceUser(serviceUserId);
        var result = await app.Function<AccountLinkRedirectFunction>().Run(request);
        Assert.Equal(302, HttpRequests.Status(result));
        Assert.Equal("no-store", request.HttpContext.Response.Headers.CacheControl.ToString());
        Assert.Equal("no-referrer", request.HttpContext.Response.Headers["Referrer-Policy"].ToString());
        var location = HttpRequests.Location(result);
        Assert.Equal("https://access.line.me/dialog/bot/accountLink", location.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal(linkToken, query["linkToken"].Single());
        return query["nonce"].Single()!;
    }

    public async Task<LinkResponse?> FindByLineUserAsync(string lineUserId)
    {
        var result = await app.Function<GetLinkFunction>().ByLineUser(HttpRequests.Get($"/api/links/line-users/{lineUserId}"), lineUserId);
        return Parse(result);
    }

    public async Task<LinkResponse?> FindByServiceUserAsync(string serviceUserId)
    {
        var result = await app.Function<GetLinkFunction>().ByServiceUser(HttpRequests.Get($"/api/links/users/{serviceUserId}"), serviceUserId);
        return Parse(result);
    }

    public static string QueryString(string name, string value) => QueryHelpers.AddQueryString("", name, value);

    private static LinkResponse? Parse(IActionResult result)
    {
        var status = HttpRequests.Status(result);
        Assert.True(status is 200 or 404, $"Unexpected status {status}: {HttpRequests.Content(result)}");
        return status == 404 ? null : System.Text.Json.JsonSerializer.Deserialize(HttpRequests.Content(result), LinkFunctions.Hosting.ApiJsonContext.Default.LinkResponse);
    }
}
