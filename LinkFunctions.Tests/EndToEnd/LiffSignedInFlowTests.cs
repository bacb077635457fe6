using LinkFunctions.Functions;
using LinkFunctions.Tests.TestSupport;

namespace LinkFunctions.Tests.EndToEnd;

/// <summary>AppService mode: the LIFF page on this app's origin posts only the ID token; Easy Auth names the user.</summary>
[Collection(CosmosCollection.Name)]
public sealed class LiffSignedInFlowTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    private LinkingFlow Flow => new(App, Line);

    protected override void ConfigureSettings(Dictionary<string, string?> settings) =>
        settings["Liff:ChannelId"] = LiffIdTokens.LiffChannelId;

    private static Microsoft.AspNetCore.Http.HttpRequest Request(string idToken, string origin)
    {
        var request = HttpRequests.PostJson("/api/links/liff/me", $$"""{"idToken":"{{idToken}}"}""").AsServiceUser("customer-signed-in");
        request.Headers.Origin = origin;
        return request;
    }

    [Fact]
    public async Task SignedInFlow_SameOriginLiffPage_LinksTheSignedInUser()
    {
        var lineUserId = WebhookBodies.NewLineUserId();
        var origin = TestApp.PublicBaseUrl.GetLeftPart(UriPartial.Authority);

        var result = await App.Function<LiffLinkFunction>().RunSignedIn(Request(Line.Liff.Sign(LiffIdTokens.Claims(lineUserId, DateTimeOffset.UtcNow)), origin));

        Assert.Equal(200, HttpRequests.Status(result));
        Assert.Equal(("customer-signed-in", "liff"), ((await Flow.FindByLineUserAsync(lineUserId))?.ServiceUserId, (await Flow.FindByLineUserAsync(lineUserId))?.Method));
    }

    [Fact]
    public async Task SignedInFlow_CrossSitePage_RefusedAndNoLink()
    {
        var lineUserId = WebhookBodies.NewLineUserId();

        var result = await App.Function<LiffLinkFunction>().RunSignedIn(Request(Line.Liff.Sign(LiffIdTokens.Claims(lineUserId, DateTimeOffset.UtcNow)), "https://evil.example"));

        Assert.Equal(403, HttpRequests.Status(result));
        Assert.Null(await Flow.FindByLineUserAsync(lineUserId));
    }
}
