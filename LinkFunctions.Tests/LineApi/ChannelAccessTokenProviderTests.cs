using System.Net;
using LinkFunctions.LineApi;
using LinkFunctions.Tests.Secrets;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LinkFunctions.Tests.LineApi;

public class ChannelAccessTokenProviderTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task GetAsync_Twice_IssuesOneStatelessToken()
    {
        var line = new LineTestClients(time);

        var first = await line.Tokens.GetAsync(CancellationToken.None);
        var second = await line.Tokens.GetAsync(CancellationToken.None);

        Assert.Equal("t1", first);
        Assert.Equal("t1", second);
        Assert.Equal(1, line.Handler.TokenRequests);
    }

    [Fact]
    public async Task GetAsync_Always_PostsClientCredentialsForm()
    {
        var line = new LineTestClients(time);

        await line.Tokens.GetAsync(CancellationToken.None);

        var request = Assert.Single(line.Handler.RequestsTo(FakeLineHandler.TokenPath));
        Assert.Equal(HttpMethod.Post, request.Method);
        var form = QueryHelpers.ParseQuery(request.Body);
        Assert.Equal("client_credentials", form["grant_type"].ToString());
        Assert.Equal(LineTestClients.ChannelId, form["client_id"].ToString());
        Assert.Equal(LineTestClients.ChannelSecret, form["client_secret"].ToString());
        Assert.Null(request.Authorization);
    }

    [Fact]
    public async Task GetAsync_ConcurrentColdStart_IssuesOneToken()
    {
        var line = new LineTestClients(time);

        var tokens = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => line.Tokens.GetAsync(CancellationToken.None).AsTask())));

        Assert.All(tokens, t => Assert.Equal("t1", t));
        Assert.Equal(1, line.Handler.TokenRequests);
    }

    [Fact]
    public async Task GetAsync_RenewalDue_ServesTheHeldTokenAndRenewsInTheBackground()
    {
        var handler = new FakeLineHandler();
        var line = new LineTestClients(time, handler);
        await line.Tokens.GetAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(12));
        var stillCached = await line.Tokens.GetAsync(CancellationToken.None);
        var requestsBeforeRenewal = handler.TokenRequests;
        using var lineAnswers = new ManualResetEventSlim();
        handler.Respond(FakeLineHandler.TokenPath, _ =>
        {
            lineAnswers.Wait(TimeSpan.FromSeconds(10));
            return FakeLineHandler.Json(HttpStatusCode.OK, """{"access_token":"renewed","expires_in":900,"token_type":"Bearer"}""");
        });

        time.Advance(TimeSpan.FromMinutes(1));
        var duringRenewal = await line.Tokens.GetAsync(CancellationToken.None);
        var renewing = line.Tokens.RenewAsync(CancellationToken.None);
        lineAnswers.Set();
        await renewing;
        var renewed = await line.Tokens.GetAsync(CancellationToken.None);

        Assert.Equal("t1", stillCached);
        Assert.Equal(1, requestsBeforeRenewal);
        Assert.Equal("t1", duringRenewal);
        Assert.Equal("renewed", renewed);
        Assert.Equal(2, handler.TokenRequests);
    }

    [Fact]
    public async Task GetAsync_RenewalFails_ServesTheHeldTokenUntilItExpires()
    {
        var handler = new FakeLineHandler();
        var logger = new FakeLogger<ChannelAccessTokenProvider>();
        var line = new LineTestClients(time, handler, logger: logger);
        await line.Tokens.GetAsync(CancellationToken.None);
        handler.Respond(FakeLineHandler.TokenPath, _ => FakeLineHandler.Json(HttpStatusCode.InternalServerError, "{}", "req-500"));

        time.Advance(TimeSpan.FromMinutes(13));
        var renewalDue = await line.Tokens.GetAsync(CancellationToken.None);
        await Assert.ThrowsAsync<LineApiException>(() => line.Tokens.RenewAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromMinutes(2) - ChannelAccessTokenProvider.ExpiryMargin - TimeSpan.FromSeconds(1));
        var lastSecond = await line.Tokens.GetAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        var expired = await Assert.ThrowsAsync<LineApiException>(() => line.Tokens.GetAsync(CancellationToken.None).AsTask());

        Assert.Equal("t1", renewalDue);
        Assert.Equal("t1", lastSecond);
        Assert.Equal(HttpStatusCode.InternalServerError, expired.Status);
        var warning = logger.Collector.GetSnapshot().First(r => r.Level == LogLevel.Warning);
        Assert.Contains("still serving", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("t1", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(LineTestClients.ChannelSecret, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_RenewalFails_RetriedOnlyAfterTheRetryInterval()
    {
        var handler = new FakeLineHandler();
        var line = new LineTestClients(time, handler);
        await line.Tokens.GetAsync(CancellationToken.None);
        handler.Respond(FakeLineHandler.TokenPath, _ => FakeLineHandler.Json(HttpStatusCode.InternalServerError, "{}"));
        time.Advance(TimeSpan.FromMinutes(13));
        await Assert.ThrowsAsync<LineApiException>(() => line.Tokens.RenewAsync(CancellationToken.None));

        for (var i = 0; i < 20; i++)
        {
            await line.Tokens.GetAsync(CancellationToken.None);
        }

        var withinInterval = handler.TokenRequests;
        time.Advance(ChannelAccessTokenProvider.RetryAfterFailure);
        var afterInterval = await line.Tokens.GetAsync(CancellationToken.None);

        Assert.Equal(2, withinInterval);
        Assert.Equal("t1", afterInterval);
        for (var i = 0; i < 500 && handler.TokenRequests < 3; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(3, handler.TokenRequests);
    }

    [Fact]
    public async Task GetAsync_IssueSlowerThanTheCallersBudget_CompletesAndIsServedNext()
    {
        var handler = new FakeLineHandler();
        using var lineAnswers = new ManualResetEventSlim();
        handler.Respond(FakeLineHandler.TokenPath, _ =>
        {
            lineAnswers.Wait(TimeSpan.FromSeconds(10));
            return FakeLineHandler.Json(HttpStatusCode.OK, """{"access_token":"slow","expires_in":900,"token_type":"Bearer"}""");
        });
        var line = new LineTestClients(time, handler);
        using var budget = new CancellationTokenSource();

        var first = line.Tokens.GetAsync(budget.Token).AsTask();
        await budget.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        lineAnswers.Set();

        // Joins the abandoned issue if it is still under way, or reads what it stored: either way no second request.
        // (A RenewAsync here raced: once the first issue had stored its token, it started a second one.)
        var next = await line.Tokens.GetAsync(CancellationToken.None);

        Assert.Equal("slow", next);
        Assert.Equal(1, handler.TokenRequests);
    }

    [Fact]
    public async Task Invalidate_ThenGetAsync_IssuesANewToken()
    {
        var line = new LineTestClients(time);
        await line.Tokens.GetAsync(CancellationToken.None);

        line.Tokens.Invalidate();
        var token = await line.Tokens.GetAsync(CancellationToken.None);

        Assert.Equal("t2", token);
    }

    [Fact]
    public async Task GetAsync_TokenEndpointRefusesTheSecret_RefetchesTheSecretAndRetriesOnce()
    {
        var secrets = new FakeChannelSecretSource("old-secret", "new-secret");
        var handler = new FakeLineHandler();
        handler.Respond(FakeLineHandler.TokenPath, request =>
        {
            var form = QueryHelpers.ParseQuery(request.Body);
            return form["client_secret"] == "new-secret"
                ? FakeLineHandler.Json(HttpStatusCode.OK, """{"access_token":"fresh","expires_in":900,"token_type":"Bearer"}""")
                : FakeLineHandler.Json(HttpStatusCode.BadRequest, """{"error":"invalid_client"}""", "req-400");
        });
        var line = new LineTestClients(time, handler, secrets);

        var token = await line.Tokens.GetAsync(CancellationToken.None);

        Assert.Equal("fresh", token);
        Assert.Equal(2, handler.TokenRequests);
        Assert.Equal(2, secrets.FetchCount);
    }

    [Fact]
    public async Task GetAsync_TokenEndpointRefusesAndNoRefetchIsAllowed_ThrowsWithoutLeakingTheSecret()
    {
        var handler = new FakeLineHandler();
        handler.Respond(FakeLineHandler.TokenPath, _ => FakeLineHandler.Json(HttpStatusCode.Unauthorized, """{"error":"invalid_client"}""", "req-401"));
        var line = new LineTestClients(time, handler, new FakeChannelSecretSource(LineTestClients.ChannelSecret) { CanRefetch = false });

        var ex = await Assert.ThrowsAsync<LineApiException>(() => line.Tokens.GetAsync(CancellationToken.None).AsTask());

        Assert.Equal(HttpStatusCode.Unauthorized, ex.Status);
        Assert.Equal("req-401", ex.RequestId);
        Assert.Equal(1, handler.TokenRequests);
        Assert.DoesNotContain(LineTestClients.ChannelSecret, ex.ToString());
    }

    [Fact]
    public async Task GetAsync_TokenEndpointFails_ThrowsAndCachesNothing()
    {
        var handler = new FakeLineHandler();
        handler.Respond(FakeLineHandler.TokenPath, _ => FakeLineHandler.Json(HttpStatusCode.InternalServerError, "{}", "req-500"));
        var line = new LineTestClients(time, handler);

        var ex = await Assert.ThrowsAsync<LineApiException>(() => line.Tokens.GetAsync(CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<LineApiException>(() => line.Tokens.GetAsync(CancellationToken.None).AsTask());

        Assert.Equal(HttpStatusCode.InternalServerError, ex.Status);
        Assert.Equal("req-500", ex.RequestId);
        Assert.Equal(2, handler.TokenRequests);
    }

    [Theory]
    [InlineData("""{"expires_in":900,"token_type":"Bearer"}""")]
    [InlineData("""{"access_token":"","expires_in":900,"token_type":"Bearer"}""")]
    [InlineData("""{"access_token":"t","expires_in":0,"token_type":"Bearer"}""")]
    public async Task GetAsync_UnusableTokenResponse_Throws(string json)
    {
        var handler = new FakeLineHandler();
        handler.Respond(FakeLineHandler.TokenPath, _ => FakeLineHandler.Json(HttpStatusCode.OK, json));
        var line = new LineTestClients(time, handler);

        await Assert.ThrowsAsync<LineApiException>(() => line.Tokens.GetAsync(CancellationToken.None).AsTask());
    }
}
