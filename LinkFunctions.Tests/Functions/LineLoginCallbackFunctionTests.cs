using LinkFunctions.Functions;
using LinkFunctions.Login;
using LinkFunctions.Tests.EndToEnd;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Tests.Functions;

public class LineLoginCallbackFunctionTests
{
    [Fact]
    public async Task Run_LineLoginNotConfigured_404Problem()
    {
        var request = FunctionHttp.Get("/login/line/callback", "?code=c&state=s");

        var result = await new LineLoginCallbackFunction(null!, Options.Create(new LineLoginOptions()), NullLogger<LineLoginCallbackFunction>.Instance).Run(request);

        FunctionHttp.Problem(result, 404, "line-login-not-configured");
        FunctionHttp.AssertNoStore(request);
    }

    [Fact]
    public void Render_BrowserMismatch_200HtmlWithStrictCsp()
    {
        var request = FunctionHttp.Get("/login/line/callback");

        var result = Assert.IsType<ContentResult>(LineLoginPages.Render(request.HttpContext.Response, LoginPage.BrowserMismatch));

        Assert.Equal(200, result.StatusCode);
        Assert.Contains("another browser", result.Content, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("default-src 'none'", request.HttpContext.Response.Headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
    }
}

/// <summary>
/// A channel secret of 16 characters (what a hex-decoded 32-character secret would give): IdentityModel refuses
/// 128-bit HS256 keys (IDX10720). The callback must still answer with a redirect carrying "failed", not a 500.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class LineLoginCallbackShortKeyTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    private const string ShortSecret = "0123456789abcdef";

    protected override void ConfigureSettings(Dictionary<string, string?> settings)
    {
        LineLoginFlow.Settings(settings);
        settings["LineLogin:ChannelSecret"] = ShortSecret;
    }

    [Fact]
    public async Task Callback_Hs256With128BitKey_FailedRedirectAndNoLink()
    {
        Line.LoginSecret = ShortSecret;
        var serviceUserId = $"customer-{Guid.NewGuid():N}";
        var lineUserId = WebhookBodies.NewLineUserId();

        var result = await new LineLoginFlow(App, Line).LinkAsync(serviceUserId, lineUserId);

        Assert.Equal(LoginResults.Failed, result);
        Assert.Single(Line.CallsTo("/oauth2/v2.1/token"));
        Assert.Null(await new LinkingFlow(App, Line).FindByServiceUserAsync(serviceUserId));
    }
}
