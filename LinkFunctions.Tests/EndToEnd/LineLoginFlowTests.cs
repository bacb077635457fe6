using System.Net;
using LinkFunctions.Login;
using LinkFunctions.Storage;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LinkFunctions.Tests.EndToEnd;

/// <summary>
/// LINE Login linking end to end, in process (AppService mode): start → LINE's authorize page (the test plays LINE
/// and the user) → callback with the browser-binding cookie → link visible through GetLink. Every attack ends
/// without a link.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class LineLoginFlowTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);

    private LineLoginFlow Login => new(App, Line);

    private LinkingFlow Links => new(App, Line);

    protected override void ConfigureSettings(Dictionary<string, string?> settings) => LineLoginFlow.Settings(settings);

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(time);

    private static string NewServiceUser() => $"customer-{Guid.NewGuid():N}";

    private async Task AssertNotLinkedAsync(string serviceUserId, string lineUserId)
    {
        Assert.Null(await Links.FindByServiceUserAsync(serviceUserId));
        Assert.Null(await Links.FindByLineUserAsync(lineUserId));
    }

    [Fact]
    public async Task LineLogin_StartAuthorizeCallback_LinkVisibleWithMethodLineLogin()
    {
        var serviceUserId = NewServiceUser();
        var lineUserId = WebhookBodies.NewLineUserId();

        var started = await Login.StartAsync(serviceUserId);
        var authorize = QueryHelpers.ParseQuery(started.AuthorizeUrl.Query);
        var authorization = Line.Authorize(started.AuthorizeUrl, lineUserId);
        var (callback, result) = await Login.CallbackAsync(authorization, started.Cookie, "&friendship_status_changed=true");

        Assert.Equal("https://access.line.me/oauth2/v2.1/authorize", started.AuthorizeUrl.GetLeftPart(UriPartial.Path));
        Assert.Equal(LineFake.LoginChannelId, authorize["client_id"].Single());
        Assert.Equal("https://link.example.com/api/login/line/callback", authorize["redirect_uri"].Single());
        Assert.Equal("consent", authorize["prompt"].Single());
        Assert.Equal("normal", authorize["bot_prompt"].Single());
        Assert.True(authorize["state"].Single()!.Length >= 22 && authorize["nonce"].Single()!.Length >= 22);
        Assert.Equal(LoginResults.Linked, LineLoginFlow.Result(result));
        var cleared = Assert.Single(LineLoginFlow.SetCookies(callback.HttpContext.Response));
        Assert.Equal(LoginPolicy.BrowserBindingCookie, cleared.Name.ToString());
        Assert.True(cleared.Expires < DateTimeOffset.UtcNow);
        var link = await Links.FindByServiceUserAsync(serviceUserId);
        Assert.Equal(lineUserId, link?.LineUserId);
        Assert.Equal("line-login", link?.Method);
        Assert.Equal(serviceUserId, (await Links.FindByLineUserAsync(lineUserId))?.ServiceUserId);
        Assert.Single(Line.CallsTo("/oauth2/v2.1/token"));
    }

    [Fact]
    public async Task LineLogin_Linked_KeepsTheRefreshTokenWrappedAndAnAuditEntry()
    {
        var serviceUserId = NewServiceUser();
        var lineUserId = WebhookBodies.NewLineUserId();
        var started = await Login.StartAsync(serviceUserId);
        var authorization = Line.Authorize(started.AuthorizeUrl, lineUserId);

        Assert.Equal(LoginResults.Linked, LineLoginFlow.Result((await Login.CallbackAsync(authorization, started.Cookie, "&friendship_status_changed=true")).Result));

        var grant = (await Login.GrantAsync(lineUserId))?.Document;
        Assert.NotNull(grant?.RefreshToken);
        Assert.DoesNotContain(LineFake.LoginRefreshToken, System.Text.Json.JsonSerializer.Serialize(grant, LoginJsonContext.Default.LineLoginGrantDocument));
        var protector = App.Get<LoginTokenProtector>();
        Assert.Equal(LineFake.LoginRefreshToken, await protector.UnwrapAsync(grant.RefreshToken, grant.Id, default));
        Assert.Equal(LineFake.LoginAccessToken, await protector.UnwrapAsync(grant.AccessToken!, grant.Id, default));
        var stateId = App.Get<ProviderKey>().State(authorization.State);
        var audit = await AuditEntries.ByKeyAsync(Cosmos.Database, App.Get<ProviderKey>().AuditPartition(serviceUserId), $"linelogin:{stateId}:linked");
        Assert.Equal("line-login", audit?.Method);
        Assert.Equal(grant.LinkId, audit?.LinkId);
        Assert.Contains("friendship_status_changed=true", audit?.Reason, StringComparison.Ordinal);
    }

    public static TheoryData<string> BadIdTokens => new()
    {
        "tampered-payload", "tampered-signature", "wrong-aud", "wrong-iss", "expired", "wrong-nonce", "missing-nonce", "alg-none",
        "alg-hs512", "other-secret",
    };

    [Theory]
    [MemberData(nameof(BadIdTokens))]
    public async Task LineLogin_BadIdToken_FailedAndNoLink(string attack)
    {
        var serviceUserId = NewServiceUser();
        var lineUserId = WebhookBodies.NewLineUserId();
        Line.IdTokenFactory = authorization => BadIdToken(attack, authorization);

        var result = await Login.LinkAsync(serviceUserId, lineUserId);

        Assert.Equal(LoginResults.Failed, result);
        await AssertNotLinkedAsync(serviceUserId, lineUserId);
        Assert.Null(await Login.GrantAsync(lineUserId));
    }

    private static string BadIdToken(string attack, LoginAuthorization authorization)
    {
        var claims = LineFake.IdTokenClaims(authorization);
        var valid = LineFake.SignIdToken(claims);
        switch (attack)
        {
            case "tampered-payload":
                var other = LineFake.SignIdToken(new Dictionary<string, object>(claims) { ["sub"] = WebhookBodies.NewLineUserId() }).Split('.');
                var parts = valid.Split('.');
                return $"{parts[0]}.{other[1]}.{parts[2]}";
            case "tampered-signature":
                return valid[..^2] + (valid[^2] == 'A' ? "B" : "A") + valid[^1];
            case "wrong-aud":
                claims["aud"] = "1999999999";
                break;
            case "wrong-iss":
                claims["iss"] = "https://access.line.me.evil.example";
                break;
            case "expired":
                claims["iat"] = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds();
                claims["exp"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds();
                break;
            case "wrong-nonce":
                claims["nonce"] = LinkFunctions.Linking.Nonce.Create();
                break;
            case "missing-nonce":
                claims.Remove("nonce");
                break;
            case "alg-none":
                return LineFake.SignIdToken(claims, alg: "none");
            case "alg-hs512":
                return LineFake.SignIdToken(claims, alg: "HS512");
            case "other-secret":
                return LineFake.SignIdToken(claims, "ffffffffffffffffffffffffffffffff");
        }

        return LineFake.SignIdToken(claims);
    }

    [Fact]
    public async Task Callback_StateReplayed_InvalidStatePageAndNoLink()
    {
        var serviceUserId = NewServiceUser();
        var lineUserId = WebhookBodies.NewLineUserId();
        var started = await Login.StartAsync(serviceUserId);
        var authorization = Line.Authorize(started.AuthorizeUrl, lineUserId);
        var state = QueryHelpers.AddQueryString("", new Dictionary<string, string?> { ["state"] = authorization.State, ["error"] = "ACCESS_DENIED" });
        Assert.Equal(LoginResults.Cancelled, LineLoginFlow.Result((await Login.CallbackAsync(state, started.Cookie)).Result));

        var (_, replay) = await Login.CallbackAsync(authorization, started.Cookie);

        Assert.Contains("invalid_state", LineLoginFlow.Page(replay, 400), StringComparison.Ordinal);
        Assert.Empty(Line.CallsTo("/oauth2/v2.1/token"));
        await AssertNotLinkedAsync(serviceUserId, lineUserId);
    }

    [Fact]
    public async Task Callback_WithoutCookie_BrowserMismatchPageAndStateKeptForTheRightBrowser()
    {
        var serviceUserId = NewServiceUser();
        var lineUserId = WebhookBodies.NewLineUserId();
        var started = await Login.StartAsync(serviceUserId);
        var authorization = Line.Authorize(started.AuthorizeUrl, lineUserId);

        var (mismatch, result) = await Login.CallbackAsync(authorization, cookie: null);

        Assert.Contains("browser_mismatch", LineLoginFlow.Page(result, 200), StringComparison.Ordinal);
        Assert.Empty(LineLoginFlow.SetCookies(mismatch.HttpContext.Response));
        Assert.Empty(Line.CallsTo("/oauth2/v2.1/token"));
        await AssertNotLinkedAsync(serviceUserId, lineUserId);
        Assert.Equal(LoginResults.Linked, LineLoginFlow.Result((await Login.CallbackAsync(authorization, started.Cookie)).Result));
    }

    [Fact]
    public async Task Callback_AnotherBrowsersCookie_BrowserMismatchPageAndNoLink()
    {
        var victim = NewServiceUser();
        var lineUserId = WebhookBodies.NewLineUserId();
        var attacker = await Login.StartAsync(NewServiceUser());
        var started = await Login.StartAsync(victim);
        var authorization = Line.Authorize(started.AuthorizeUrl, lineUserId);

        var (_, result) = await Login.CallbackAsync(authorization, attacker.Cookie);

        Assert.Contains("browser_mismatch", LineLoginFlow.Page(result, 200), StringComparison.Ordinal);
        await AssertNotLinkedAsync(victim, lineUserId);
    }

    [Fact]
    public async Task Callback_StateExpired_InvalidStatePageAndNoLink()
    {
        var serviceUserId = NewServiceUser();
        var lineUserId = WebhookBodies.NewLineUserId();
        var started = await Login.StartAsync(serviceUserId);
        var authorization = Line.Authorize(started.AuthorizeUrl, lineUserId);
        time.Advance(LoginPolicy.StateLifetime + TimeSpan.FromSeconds(1));

        var (_, result) = await Login.CallbackAsync(authorization, started.Cookie);

        Assert.Contains("invalid_state", LineLoginFlow.Page(result, 400), StringComparison.Ordinal);
        await AssertNotLinkedAsync(serviceUserId, lineUserId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?state=unknown-state-unknown-state-unknown-state&code=x&returnUrl=https%3A%2F%2Fevil.example")]
    [InlineData("?error=ACCESS_DENIED&returnUrl=https%3A%2F%2Fevil.example")]
    public async Task Callback_MissingOrUnknownState_NeverRedirects(string query)
    {
        var (_, result) = await Login.CallbackAsync(query, cookie: "whatever");

        var page = LineLoginFlow.Page(result, 400);
        Assert.DoesNotContain("evil", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callback_NoCodeAndNoError_FailedAndNoLink()
    {
        var serviceUserId = NewServiceUser();
        var lineUserId = WebhookBodies.NewLineUserId();
        var started = await Login.StartAsync(serviceUserId);
        var authorization = Line.Authorize(started.AuthorizeUrl, lineUserId);

        var (_, result) = await Login.CallbackAsync(QueryHelpers.AddQueryString("", "state", authorization.State), started.Cookie);

        Assert.Equal(LoginResults.Failed, LineLoginFlow.Result(result));
        await AssertNotLinkedAsync(serviceUserId, lineUserId);
    }

    [Theory]
    [InlineData("ACCESS_DENIED", LoginResults.Cancelled)]
    [InlineData("access_denied", LoginResults.Cancelled)]
    [InlineData("Access_Denied", LoginResults.Cancelled)]
    [InlineData("SERVER_ERROR", LoginResults.Failed)]
    [InlineData("<script>", LoginResults.Failed)]
    public async Task Callback_LineError_RedirectsToStoredReturnUrlWithResult(string error, string expected)
    {
        var serviceUserId = NewServiceUser();
        var lineUserId = WebhookBodies.NewLineUserId();
        var started = await Login.StartAsync(serviceUserId);
        var state = QueryHelpers.ParseQuery(started.AuthorizeUrl.Query)["state"].Single()!;
        var query = QueryHelpers.AddQueryString("", new Dictionary<string, string?>
        {
            ["error"] = error, ["error_description"] = "The user has denied the approval", ["state"] = state,
        });

        var (_, result) = await Login.CallbackAsync(query, started.Cookie);

        Assert.Equal(expected, LineLoginFlow.Result(result));
        await AssertNotLinkedAsync(serviceUserId, lineUserId);
    }

    [Fact]
    public async Task Callback_TokenEndpointFails_FailedWithoutRetryAndNoLink()
    {
        var serviceUserId = NewServiceUser();
        var lineUserId = WebhookBodies.NewLineUserId();
        Line.Intercept = call => call.Path == "/oauth2/v2.1/token" ? HttpStatusCode.InternalServerError : null;

        var result = await Login.LinkAsync(serviceUserId, lineUserId);

        Assert.Equal(LoginResults.Failed, result);
        Assert.Single(Line.CallsTo("/oauth2/v2.1/token"));
        await AssertNotLinkedAsync(serviceUserId, lineUserId);
    }

    public static TheoryData<string> ForeignReturnUrls => new()
    {
        "https://evil.example",
        "//evil.example",
        "https://allowed.example@evil.example",
        "https://allowed.example\\@evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "%2F%2Fevil.example",
        "https:%2F%2Fevil.example",
        "https%3A%2F%2Fevil.example",
        "/%5Cevil.example",
        "https://service.example.com%2F@evil.example/line/done",
        "https://service.example.com%40evil.example/line/done",
        "/line/done",
        "https://service.example.com/line/doneX",
        "http://service.example.com/line/done",
        "https://service.example.com:8443/line/done",
        "https://service.example.com/line/done#fragment",
        "",
    };

    [Theory]
    [MemberData(nameof(ForeignReturnUrls))]
    public async Task Start_ReturnUrlNotAllowListed_Exactly400AndNoState(string returnUrl)
    {
        var serviceUserId = NewServiceUser();

        var (request, result) = await Login.GetStartAsync(QueryHelpers.AddQueryString("", "returnUrl", returnUrl), serviceUserId);

        Assert.Equal(400, HttpRequests.Status(result));
        LineLoginFlow.AssertNoStore(request.HttpContext.Response);
        Assert.Empty(LineLoginFlow.SetCookies(request.HttpContext.Response));
        Assert.Null(await Links.FindByServiceUserAsync(serviceUserId));
    }

    [Fact]
    public async Task Start_Unauthenticated_RedirectsToSignInAndBack()
    {
        var query = QueryHelpers.AddQueryString("", "returnUrl", LineLoginFlow.ReturnUrl);

        var (request, result) = await Login.GetStartAsync(query);

        var location = HttpRequests.Location(result).OriginalString;
        Assert.StartsWith($"/.auth/login/{TestApp.LoginProvider}?post_login_redirect_uri=", location, StringComparison.Ordinal);
        Assert.Empty(LineLoginFlow.SetCookies(request.HttpContext.Response));
    }
}

