using System.Text.Json;
using LinkFunctions.Functions;
using LinkFunctions.Login;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LinkFunctions.Tests.EndToEnd;

/// <summary>
/// LINE Login in Delegated mode: the service's backend asks for a single-use startUrl, its browser opens it, and the
/// flow continues as in AppService mode. The startUrl is spent by the first opener and dies after 2 minutes.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class LineLoginDelegatedFlowTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);

    private LineLoginFlow Login => new(App, Line);

    private LinkingFlow Links => new(App, Line);

    protected override void ConfigureSettings(Dictionary<string, string?> settings)
    {
        LineLoginFlow.Settings(settings);
        settings["Auth:Mode"] = "Delegated";
    }

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(time);

    /// <summary>A refused startUrl: 404, no browser-binding cookie (so no way on to LINE), and no link.</summary>
    private async Task AssertRefusedAsync((Microsoft.AspNetCore.Http.HttpRequest Request, Microsoft.AspNetCore.Mvc.IActionResult Result) opened, string serviceUserId)
    {
        Assert.Equal(404, HttpRequests.Status(opened.Result));
        Assert.Empty(LineLoginFlow.SetCookies(opened.Request.HttpContext.Response));
        Assert.Null(await Links.FindByServiceUserAsync(serviceUserId));
    }

    [Fact]
    public async Task StartUrl_OpenedAndApproved_LinkVisibleWithMethodLineLogin()
    {
        var serviceUserId = $"customer-{Guid.NewGuid():N}";
        var lineUserId = WebhookBodies.NewLineUserId();

        var (startUrl, expiresAt) = await Login.CreateSessionAsync(serviceUserId);
        var (openRequest, opened) = await Login.OpenStartUrlAsync(startUrl);
        var started = LineLoginFlow.Redirected(openRequest, opened);
        var (_, callback) = await Login.CallbackAsync(Line.Authorize(started.AuthorizeUrl, lineUserId), started.Cookie);

        Assert.Equal("https://link.example.com/api/login/line", startUrl.GetLeftPart(UriPartial.Path));
        Assert.True(expiresAt <= time.GetUtcNow() + TimeSpan.FromMinutes(2));
        Assert.Equal(LoginResults.Linked, LineLoginFlow.Result(callback));
        var link = await Links.FindByServiceUserAsync(serviceUserId);
        Assert.Equal(lineUserId, link?.LineUserId);
        Assert.Equal("line-login", link?.Method);
    }

    [Fact]
    public async Task StartUrl_OpenedTwice_SecondBrowserGets404AndNoCookie()
    {
        var serviceUserId = $"customer-{Guid.NewGuid():N}";
        var (startUrl, _) = await Login.CreateSessionAsync(serviceUserId);
        var (first, firstResult) = await Login.OpenStartUrlAsync(startUrl);
        LineLoginFlow.Redirected(first, firstResult);

        var second = await Login.OpenStartUrlAsync(startUrl);

        await AssertRefusedAsync(second, serviceUserId);
    }

    [Fact]
    public async Task StartUrl_OpenedTwiceConcurrently_ExactlyOneBrowserBinds()
    {
        var (startUrl, _) = await Login.CreateSessionAsync($"customer-{Guid.NewGuid():N}");

        var opened = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Login.OpenStartUrlAsync(startUrl)));

        Assert.Single(opened, o => HttpRequests.Status(o.Result) == 302);
        Assert.Equal(7, opened.Count(o => HttpRequests.Status(o.Result) == 404));
    }

    [Fact]
    public async Task StartUrl_OpenedAfterTwoMinutes_404AndNoLink()
    {
        var serviceUserId = $"customer-{Guid.NewGuid():N}";
        var (startUrl, _) = await Login.CreateSessionAsync(serviceUserId);
        time.Advance(LoginPolicy.SessionLifetime + TimeSpan.FromSeconds(1));

        var opened = await Login.OpenStartUrlAsync(startUrl);

        await AssertRefusedAsync(opened, serviceUserId);
    }

    [Fact]
    public async Task Start_DelegatedWithoutSession_400SessionRequired()
    {
        var (_, result) = await Login.GetStartAsync(QueryHelpers.AddQueryString("", "returnUrl", LineLoginFlow.ReturnUrl), "customer-1");

        Assert.Equal(400, HttpRequests.Status(result));
        Assert.Contains("login-session-required", HttpRequests.Content(result), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(LineLoginFlowTests.ForeignReturnUrls), MemberType = typeof(LineLoginFlowTests))]
    public async Task CreateSession_ReturnUrlNotAllowListed_Exactly400(string returnUrl)
    {
        var body = JsonSerializer.Serialize(new { serviceUserId = "customer-1", returnUrl });

        var result = await App.Function<CreateLineLoginSessionFunction>().Run(HttpRequests.PostJson("/api/login/line/sessions", body));

        Assert.Equal(400, HttpRequests.Status(result));
        Assert.Contains("return-url-not-allowed", HttpRequests.Content(result), StringComparison.Ordinal);
    }
}
