using System.Net;
using LinkFunctions.LineApi;
using LinkFunctions.Tests.TestSupport;

namespace LinkFunctions.Tests.LineApi;

/// <summary>The real typed HttpClient, resilience pipeline and handlers against the LINE fake over loopback HTTP.</summary>
[Collection(CosmosCollection.Name)]
public sealed class LineMessagingClientIntegrationTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    [Fact]
    public async Task PushAsync_ServerErrorThenSuccess_RetriesWithSameRetryKey()
    {
        var attempts = 0;
        Line.Intercept = call => call.Path.EndsWith("/push", StringComparison.Ordinal) && Interlocked.Increment(ref attempts) == 1
            ? HttpStatusCode.InternalServerError : null;
        var retryKey = Guid.NewGuid();

        await App.Get<LineMessagingClient>().PushAsync(WebhookBodies.NewLineUserId(), [new TextMessage("hello")], retryKey, default);

        var pushes = Line.CallsTo("/v2/bot/message/push");
        Assert.Equal(2, pushes.Count);
        Assert.All(pushes, p => Assert.Equal(retryKey.ToString("D"), p.RetryKey));
    }

    [Fact]
    public async Task PushAsync_DuplicateRetryKeyConflict_TreatedAsDelivered()
    {
        Line.Intercept = call => call.Path.EndsWith("/push", StringComparison.Ordinal) ? HttpStatusCode.Conflict : null;

        await App.Get<LineMessagingClient>().PushAsync(WebhookBodies.NewLineUserId(), [new TextMessage("hello")], Guid.NewGuid(), default);

        Assert.Single(Line.CallsTo("/v2/bot/message/push"));
    }

    [Fact]
    public async Task ReplyAsync_ServerError_NotRetried()
    {
        Line.Intercept = call => call.Path.EndsWith("/reply", StringComparison.Ordinal) ? HttpStatusCode.InternalServerError : null;

        var ex = await Assert.ThrowsAsync<LineApiException>(() =>
            App.Get<LineMessagingClient>().ReplyAsync("replytoken", [new TextMessage("hello")], default));

        Assert.Equal(HttpStatusCode.InternalServerError, ex.Status);
        Assert.NotNull(ex.RequestId);
        Assert.Single(Line.CallsTo("/v2/bot/message/reply"));
    }

    [Fact]
    public async Task IssueLinkTokenAsync_BadRequest_NotRetried()
    {
        Line.Intercept = call => call.Path.EndsWith("/linkToken", StringComparison.Ordinal) ? HttpStatusCode.BadRequest : null;

        await Assert.ThrowsAsync<LineApiException>(() => App.Get<LineMessagingClient>().IssueLinkTokenAsync(WebhookBodies.NewLineUserId(), default));

        Assert.Single(Line.CallsTo("/linkToken"));
    }

    [Fact]
    public async Task IssueLinkTokenAsync_TwoCalls_OneStatelessTokenIssued()
    {
        var client = App.Get<LineMessagingClient>();

        await client.IssueLinkTokenAsync(WebhookBodies.NewLineUserId(), default);
        await client.IssueLinkTokenAsync(WebhookBodies.NewLineUserId(), default);

        var issue = Assert.Single(Line.CallsTo("/oauth2/v3/token"));
        Assert.Contains("grant_type=client_credentials", issue.Body, StringComparison.Ordinal);
        Assert.All(Line.CallsTo("/linkToken"), c => Assert.Equal($"Bearer {LineFake.AccessToken}", c.Authorization));
    }
}
