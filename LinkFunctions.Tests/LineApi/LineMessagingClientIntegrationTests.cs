using System.Net;
using LinkFunctions.LineApi;
using LinkFunctions.Tests.TestSupport;

namespace LinkFunctions.Tests.LineApi;

/// <summary>The real typed HttpClient, resilience pipeline and handlers against the LINE fake over loopback HTTP.</summary>
[Collection(CosmosCollection.Name)]
public sealed class LineMessagingClientIntegrationTests(CosmosFixture cosmos) : IAsyncLifetime
{
    private LineFake line = null!;
    private TestApp app = null!;

    public async Task InitializeAsync()
    {
        line = await LineFake.StartAsync();
        app = await TestApp.StartAsync(cosmos, line);
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await line.DisposeAsync();
    }

    [Fact]
    public async Task PushAsync_ServerErrorThenSuccess_RetriesWithSameRetryKey()
    {
        var attempts = 0;
        line.Intercept = call => call.Path.EndsWith("/push", StringComparison.Ordinal) && Interlocked.Increment(ref attempts) == 1
            ? HttpStatusCode.InternalServerError : null;
        var retryKey = Guid.NewGuid();

        await app.Get<LineMessagingClient>().PushAsync(WebhookBodies.NewLineUserId(), [new TextMessage("hello")], retryKey, default);

        var pushes = line.CallsTo("/v2/bot/message/push");
        Assert.Equal(2, pushes.Count);
        Assert.All(pushes, p => Assert.Equal(retryKey.ToString("D"), p.RetryKey));
    }

    [Fact]
    public async Task PushAsync_DuplicateRetryKeyConflict_TreatedAsDelivered()
    {
        line.Intercept = call => call.Path.EndsWith("/push", StringComparison.Ordinal) ? HttpStatusCode.Conflict : null;

        await app.Get<LineMessagingClient>().PushAsync(WebhookBodies.NewLineUserId(), [new TextMessage("hello")], Guid.NewGuid(), default);

        Assert.Single(line.CallsTo("/v2/bot/message/push"));
    }

    [Fact]
    public async Task ReplyAsync_ServerError_NotRetried()
    {
        line.Intercept = call => call.Path.EndsWith("/reply", StringComparison.Ordinal) ? HttpStatusCode.InternalServerError : null;

        var ex = await Assert.ThrowsAsync<LineApiException>(() =>
            app.Get<LineMessagingClient>().ReplyAsync("replytoken", [new TextMessage("hello")], default));

        Assert.Equal(HttpStatusCode.InternalServerError, ex.Status);
        Assert.NotNull(ex.RequestId);
        Assert.Single(line.CallsTo("/v2/bot/message/reply"));
    }

    [Fact]
    public async Task IssueLinkTokenAsync_BadRequest_NotRetried()
    {
        line.Intercept = call => call.Path.EndsWith("/linkToken", StringComparison.Ordinal) ? HttpStatusCode.BadRequest : null;

        await Assert.ThrowsAsync<LineApiException>(() => app.Get<LineMessagingClient>().IssueLinkTokenAsync(WebhookBodies.NewLineUserId(), default));

        Assert.Single(line.CallsTo("/linkToken"));
    }

    [Fact]
    public async Task IssueLinkTokenAsync_TwoCalls_OneStatelessTokenIssued()
    {
        var client = app.Get<LineMessagingClient>();

        await client.IssueLinkTokenAsync(WebhookBodies.NewLineUserId(), default);
        await client.IssueLinkTokenAsync(WebhookBodies.NewLineUserId(), default);

        var issue = Assert.Single(line.CallsTo("/oauth2/v3/token"));
        Assert.Contains("grant_type=client_credentials", issue.Body, StringComparison.Ordinal);
        Assert.All(line.CallsTo("/linkToken"), c => Assert.Equal($"Bearer {LineFake.AccessToken}", c.Authorization));
    }
}
