using System.Net;
using LinkFunctions.LineApi;
using LinkFunctions.Tests.Secrets;
using Microsoft.AspNetCore.WebUtilities;
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
    public async Task GetAsync_ShortlyBeforeExpiry_IssuesANewToken()
    {
        var line = new LineTestClients(time);
        await line.Tokens.GetAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(12));
        var stillCached = await line.Tokens.GetAsync(CancellationToken.None);

        time.Advance(TimeSpan.FromMinutes(1));
        var renewed = await line.Tokens.GetAsync(CancellationToken.None);

        Assert.Equal("t1", stillCached);
        Assert.Equal("t2", renewed);
        Assert.Equal(2, line.Handler.TokenRequests);
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
