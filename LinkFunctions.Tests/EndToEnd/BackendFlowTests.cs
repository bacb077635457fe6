using System.Text.Json;
using LinkFunctions.Functions;
using LinkFunctions.Hosting;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.WebUtilities;

namespace LinkFunctions.Tests.EndToEnd;

/// <summary>The service backend's side: issuing link tokens, and Delegated mode's nonce endpoint.</summary>
[Collection(CosmosCollection.Name)]
public sealed class BackendFlowTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    private LinkingFlow Flow => new(App, Line);

    protected override void ConfigureSettings(Dictionary<string, string?> settings)
    {
        settings["Auth:Mode"] = "Delegated";
        settings.Remove("Auth:AllowUnverifiedPrincipalHeaders");
    }

    [Fact]
    public async Task DelegatedFlow_IssueTokenThenNonceThenAccountLink_Links()
    {
        var lineUserId = WebhookBodies.NewLineUserId();

        var issued = await App.Function<IssueLinkTokenFunction>().Run(HttpRequests.PostJson("/api/links/token", $$"""{"lineUserId":"{{lineUserId}}","send":true}"""));

        Assert.Equal(200, HttpRequests.Status(issued));
        var token = JsonSerializer.Deserialize(HttpRequests.Content(issued), ApiJsonContext.Default.IssueLinkTokenResponse)!;
        var push = Assert.Single(Line.CallsTo("/v2/bot/message/push"));
        Assert.True(Guid.TryParseExact(push.RetryKey, "D", out _));
        Assert.Contains(token.LinkUrl.ToString(), push.Body, StringComparison.Ordinal);

        // The linking URL in Delegated mode hands the browser to the service's own page.
        var open = HttpRequests.Get("/api/link", LinkingFlow.QueryString("linkToken", token.LinkToken));
        var page = await App.Function<AccountLinkRedirectFunction>().Run(open);
        Assert.Equal(302, HttpRequests.Status(page));
        var pageUrl = HttpRequests.Location(page);
        Assert.Equal(TestApp.ServiceLinkPageUrl.GetLeftPart(UriPartial.Path), pageUrl.GetLeftPart(UriPartial.Path));
        Assert.Equal(token.LinkToken, QueryHelpers.ParseQuery(pageUrl.Query)["linkToken"].Single());
        Assert.Equal("line", QueryHelpers.ParseQuery(pageUrl.Query)["from"].Single());

        var nonceRequest = HttpRequests.PostJson("/api/links/nonce", $$"""{"linkToken":"{{token.LinkToken}}","serviceUserId":"customer-delegated"}""");
        var created = await App.Function<CreateAccountLinkRedirectFunction>().Run(nonceRequest);
        Assert.Equal(200, HttpRequests.Status(created));
        Assert.Equal("no-store", nonceRequest.HttpContext.Response.Headers.CacheControl.ToString());
        var redirect = JsonSerializer.Deserialize(HttpRequests.Content(created), ApiJsonContext.Default.CreateAccountLinkRedirectResponse)!;
        var nonce = QueryHelpers.ParseQuery(redirect.RedirectUrl.Query)["nonce"].Single()!;

        Assert.Equal(200, HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(lineUserId, nonce)))));
        Assert.Equal("customer-delegated", (await Flow.FindByLineUserAsync(lineUserId))?.ServiceUserId);
    }

    [Fact]
    public async Task CreateAccountLinkRedirect_UnknownLinkToken_NotFound()
    {
        var result = await App.Function<CreateAccountLinkRedirectFunction>().Run(
            HttpRequests.PostJson("/api/links/nonce", """{"linkToken":"NeverIssuedToken0000","serviceUserId":"customer-x"}"""));

        Assert.Equal(404, HttpRequests.Status(result));
        Assert.Contains("link-token-not-found", HttpRequests.Content(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IssueLinkToken_LineRefuses_BadGatewayWithLineRequestId()
    {
        Line.Intercept = call => call.Path.EndsWith("/linkToken", StringComparison.Ordinal) ? System.Net.HttpStatusCode.BadRequest : null;

        var result = await App.Function<IssueLinkTokenFunction>().Run(
            HttpRequests.PostJson("/api/links/token", $$"""{"lineUserId":"{{WebhookBodies.NewLineUserId()}}"}"""));

        Assert.Equal(502, HttpRequests.Status(result));
        Assert.Contains("x-line-request-id", HttpRequests.Content(result), StringComparison.Ordinal);
        Assert.DoesNotContain(LineFake.AccessToken, HttpRequests.Content(result), StringComparison.Ordinal);
    }
}
