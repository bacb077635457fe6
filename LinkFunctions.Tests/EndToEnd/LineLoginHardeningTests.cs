using LinkFunctions.Login;
using LinkFunctions.Storage;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LinkFunctions.Tests.EndToEnd;

/// <summary>
/// LINE Login under the conditions an attacker or a bad day brings: the same callback twice at once, junk from LINE,
/// an unexpected storage failure, a Messaging API link racing for the same LINE user, and every log line scanned.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class LineLoginHardeningTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    private readonly CapturingLoggerProvider logs = new();
    private FailingLoginStore? store;

    private LineLoginFlow Login => new(App, Line);

    private LinkingFlow Links => new(App, Line);

    protected override void ConfigureSettings(Dictionary<string, string?> settings) => LineLoginFlow.Settings(settings);

    protected override void ConfigureServices(IServiceCollection services)
    {
        logs.AddTo(services);
        services.Replace(ServiceDescriptor.Singleton<ILineLoginStore>(provider =>
            store = new FailingLoginStore(new CosmosLineLoginStore(provider.GetRequiredService<CosmosDatabase>()))));
    }

    private static string NewServiceUser() => $"customer-{Guid.NewGuid():N}";

    [Fact]
    public async Task Callback_SameStateTwiceAtOnce_OneCodeExchangeAndOneLink()
    {
        var serviceUserId = NewServiceUser();
        var lineUserId = WebhookBodies.NewLineUserId();
        var started = await Login.StartAsync(serviceUserId);
        var authorization = Line.Authorize(started.AuthorizeUrl, lineUserId);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Login.CallbackAsync(authorization, started.Cookie)));

        Assert.Single(results, r => HttpRequests.Status(r.Result) == 302);
        Assert.All(results.Where(r => HttpRequests.Status(r.Result) != 302), r => Assert.Contains("invalid_state", LineLoginFlow.Page(r.Result, 400), StringComparison.Ordinal));
        Assert.Single(Line.CallsTo("/oauth2/v2.1/token"));
        Assert.Equal(lineUserId, (await Links.FindByServiceUserAsync(serviceUserId))?.LineUserId);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"id_token\":")]
    [InlineData("{\"id_token\":42,\"expires_in\":\"soon\"}")]
    [InlineData("[]")]
    [InlineData("null")]
    public async Task Callback_TokenEndpointAnswersJunk_FailedAndNoLink(string junk)
    {
        var serviceUserId = NewServiceUser();
        var lineUserId = WebhookBodies.NewLineUserId();
        Line.RawAnswer = call => call.Path == "/oauth2/v2.1/token" ? junk : null;

        var result = await Login.LinkAsync(serviceUserId, lineUserId);

        Assert.Equal(LoginResults.Failed, result);
        Assert.Null(await Links.FindByServiceUserAsync(serviceUserId));
        Assert.Null(await Links.FindByLineUserAsync(lineUserId));
    }

    [Fact]
    public async Task StartAndCallback_UnexpectedStoreFailure_503ProblemNeverA500()
    {
        var serviceUserId = NewServiceUser();
        var started = await Login.StartAsync(serviceUserId);
        var authorization = Line.Authorize(started.AuthorizeUrl, WebhookBodies.NewLineUserId());
        store!.Failure = new InvalidOperationException("unexpected");

        var (startRequest, start) = await Login.GetStartAsync(QueryHelpers.AddQueryString("", "returnUrl", LineLoginFlow.ReturnUrl), serviceUserId);
        var (_, callback) = await Login.CallbackAsync(authorization, started.Cookie);

        Assert.Equal(503, HttpRequests.Status(start));
        LineLoginFlow.AssertNoStore(startRequest.HttpContext.Response);
        Assert.Empty(LineLoginFlow.SetCookies(startRequest.HttpContext.Response));
        Assert.Equal(503, HttpRequests.Status(callback));
        Assert.DoesNotContain(authorization.State, HttpRequests.Content(callback), StringComparison.Ordinal);
    }

    /// <summary>
    /// Design §6 across methods: a Messaging API accountLink and a LINE Login callback race for one LINE user. Whatever
    /// the interleaving, both halves name the same pair and the other service user holds no half.
    /// </summary>
    [Fact]
    public async Task LineLoginAndMessagingApi_RaceForOneLineUser_BothHalvesConsistent()
    {
        // The first rounds settle the Messaging API link first (LINE Login, newer, must release it); the rest race.
        for (var round = 0; round < 6; round++)
        {
            var lineUserId = WebhookBodies.NewLineUserId();
            var (viaMessaging, viaLogin) = (NewServiceUser(), NewServiceUser());
            var nonce = await Links.OpenLinkingUrlAsync(await Links.SendKeywordAsync(lineUserId), viaMessaging);
            var started = await Login.StartAsync(viaLogin);
            var authorization = Line.Authorize(started.AuthorizeUrl, lineUserId);

            var webhook = Links.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(lineUserId, nonce)));
            if (round < 2)
            {
                await webhook;
            }

            var callback = Login.CallbackAsync(authorization, started.Cookie);
            await Task.WhenAll(webhook, callback);

            Assert.Equal(200, HttpRequests.Status(await webhook));
            var loginResult = LineLoginFlow.Result((await callback).Result);
            var lineHalf = await Links.FindByLineUserAsync(lineUserId);
            Assert.NotNull(lineHalf);
            var winner = lineHalf.ServiceUserId;
            var loser = winner == viaLogin ? viaMessaging : viaLogin;
            Assert.Contains(winner, new[] { viaMessaging, viaLogin });
            Assert.Equal(lineUserId, (await Links.FindByServiceUserAsync(winner))?.LineUserId);
            Assert.Null(await Links.FindByServiceUserAsync(loser));

            // The stored halves themselves, not only what the reader serves: the loser keeps no linked half.
            var repository = App.Get<ILinkRepository>();
            var provider = App.Get<ProviderKey>();
            var lineSide = (await repository.ReadAsync(provider.LineSide(lineUserId), default))?.Document;
            var userSide = (await repository.ReadAsync(provider.UserSide(winner), default))?.Document;
            Assert.True(lineSide?.Confirms(userSide), "the two halves of the winning link must confirm each other");
            Assert.False((await repository.ReadAsync(provider.UserSide(loser), default))?.Document.IsLinked ?? false, "the loser kept a linked half");
            Assert.Equal(winner == viaLogin ? "line-login" : "messaging-api", lineHalf.Method);
            if (round < 2)
            {
                Assert.Equal(viaLogin, winner);
            }

            if (winner == viaLogin)
            {
                Assert.Equal(LoginResults.Linked, loginResult);
            }
        }
    }

    [Fact]
    public async Task LineLoginFlows_EveryLogLine_NoStateCodeNonceTokenOrRawId()
    {
        var secrets = LeakScan.ChannelSecrets();
        secrets["login channel secret"] = LineFake.LoginChannelSecret;
        secrets["login access token"] = LineFake.LoginAccessToken;
        secrets["login refresh token"] = LineFake.LoginRefreshToken;
        void Keep(string name, string value) => secrets[$"{name} #{secrets.Count}"] = value;

        // Linked; then the same state replayed; a callback from another browser; a refused ID token; LINE's error.
        var serviceUserId = NewServiceUser();
        var lineUserId = WebhookBodies.NewLineUserId();
        var started = await Login.StartAsync(serviceUserId);
        var authorization = Line.Authorize(started.AuthorizeUrl, lineUserId);
        string? idToken = null;
        Line.IdTokenFactory = a => idToken = LineFake.SignIdToken(LineFake.IdTokenClaims(a));
        Assert.Equal(200, HttpRequests.Status((await Login.CallbackAsync(authorization, cookie: "another-browser")).Result));
        Assert.Equal(LoginResults.Linked, LineLoginFlow.Result((await Login.CallbackAsync(authorization, started.Cookie)).Result));
        Assert.Equal(400, HttpRequests.Status((await Login.CallbackAsync(authorization, started.Cookie)).Result));
        Keep("cookie", started.Cookie);
        Keep("state", authorization.State);
        Keep("code", authorization.Code);
        Keep("nonce", authorization.Nonce);
        Keep("code challenge", authorization.CodeChallenge);
        Keep("ID token", idToken!);
        Keep("ID token signature", idToken!.Split('.')[2]);
        Keep("LINE user ID", lineUserId);
        Keep("service user ID", serviceUserId);

        var refusedUser = NewServiceUser();
        var refusedLineUser = WebhookBodies.NewLineUserId();
        Line.IdTokenFactory = a => idToken = LineFake.SignIdToken(LineFake.IdTokenClaims(a), "ffffffffffffffffffffffffffffffff");
        var refused = await Login.StartAsync(refusedUser);
        var refusedAuthorization = Line.Authorize(refused.AuthorizeUrl, refusedLineUser);
        Assert.Equal(LoginResults.Failed, LineLoginFlow.Result((await Login.CallbackAsync(refusedAuthorization, refused.Cookie)).Result));
        Keep("refused ID token", idToken!);
        Keep("refused state", refusedAuthorization.State);
        Keep("refused code", refusedAuthorization.Code);
        Keep("refused nonce", refusedAuthorization.Nonce);
        Keep("refused service user ID", refusedUser);
        Keep("refused LINE user ID", refusedLineUser);

        var cancelled = await Login.StartAsync(NewServiceUser());
        var cancelledState = QueryHelpers.ParseQuery(cancelled.AuthorizeUrl.Query)["state"].Single()!;
        var error = QueryHelpers.AddQueryString("", new Dictionary<string, string?> { ["state"] = cancelledState, ["error"] = "ACCESS_DENIED" });
        Assert.Equal(LoginResults.Cancelled, LineLoginFlow.Result((await Login.CallbackAsync(error, cancelled.Cookie)).Result));
        Keep("cancelled state", cancelledState);

        var entries = logs.Entries;
        Assert.Contains(entries, entry => entry.Text.StartsWith("LINE Login linked", StringComparison.Ordinal));
        LeakScan.AssertAbsent(entries.Select(entry => $"[{entry.Category} {entry.Level}] {entry.Text}"), secrets);
    }

    /// <summary>The real store, made to throw what no catch clause expects.</summary>
    private sealed class FailingLoginStore(ILineLoginStore inner) : ILineLoginStore
    {
        public Task<WriteOutcome> DeleteGrantAsync(string id, string ifMatch, CancellationToken cancellationToken) => inner.DeleteGrantAsync(id, ifMatch, cancellationToken);

        public Exception? Failure { get; set; }

        public Task<WriteOutcome> CreateSessionAsync(LoginSessionDocument session, CancellationToken cancellationToken) =>
            Failure is { } failure ? throw failure : inner.CreateSessionAsync(session, cancellationToken);

        public Task<Stored<LoginSessionDocument>?> ReadSessionAsync(string id, CancellationToken cancellationToken) =>
            Failure is { } failure ? throw failure : inner.ReadSessionAsync(id, cancellationToken);

        public Task<WriteOutcome> CreateStateAsync(LoginStateDocument state, CancellationToken cancellationToken) =>
            Failure is { } failure ? throw failure : inner.CreateStateAsync(state, cancellationToken);

        public Task<Stored<LoginStateDocument>?> ReadStateAsync(string id, CancellationToken cancellationToken) =>
            Failure is { } failure ? throw failure : inner.ReadStateAsync(id, cancellationToken);

        public Task<WriteOutcome> DeleteTransientAsync(string id, string ifMatch, CancellationToken cancellationToken) =>
            Failure is { } failure ? throw failure : inner.DeleteTransientAsync(id, ifMatch, cancellationToken);

        public Task SaveGrantAsync(LineLoginGrantDocument grant, CancellationToken cancellationToken) =>
            Failure is { } failure ? throw failure : inner.SaveGrantAsync(grant, cancellationToken);

        public Task<Stored<LineLoginGrantDocument>?> ReadGrantAsync(string id, CancellationToken cancellationToken) =>
            Failure is { } failure ? throw failure : inner.ReadGrantAsync(id, cancellationToken);
    }
}
