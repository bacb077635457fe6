using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using LinkFunctions.Webhook;
using Moq;

namespace LinkFunctions.Tests.Webhook;

public class WebhookEventDispatcherTests
{
    private static WebhookTestApp App(string keywords = "link", bool promptOnFollow = true)
    {
        var app = new WebhookTestApp(linking: new LinkingOptions
        {
            PublicBaseUrl = WebhookTestApp.PublicBaseUrl, Keywords = keywords, PromptOnFollow = promptOnFollow,
        });
        app.Transient.Setup(t => t.TryCreateMarkerAsync(It.IsAny<EventMarkerDocument>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        return app;
    }

    private static int Replies(WebhookTestApp app) => app.Line.Handler.RequestsTo("/v2/bot/message/reply").Count;

    [Fact]
    public async Task DispatchAsync_NoEvents_SucceedsWithoutWork()
    {
        var app = App();

        var ok = await app.Dispatcher.DispatchAsync([], CancellationToken.None);

        Assert.True(ok);
        Assert.Empty(app.Transient.Invocations);
    }

    [Theory]
    [InlineData("link")]
    [InlineData("LINK")]
    [InlineData("  Link \n")]
    public async Task DispatchAsync_KeywordText_Prompts(string text)
    {
        var app = App();

        var ok = await app.Dispatcher.DispatchAsync([WebhookEvents.Text(text)], CancellationToken.None);

        Assert.True(ok);
        Assert.Equal(1, Replies(app));
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("link please")]
    [InlineData("")]
    public async Task DispatchAsync_OtherText_IsIgnored(string text)
    {
        var app = App();

        var ok = await app.Dispatcher.DispatchAsync([WebhookEvents.Text(text)], CancellationToken.None);

        Assert.True(ok);
        Assert.Empty(app.Transient.Invocations);
        Assert.Equal(0, Replies(app));
    }

    [Fact]
    public async Task DispatchAsync_ConfiguredKeywords_AnyOfThemPrompts()
    {
        var app = App(keywords: "連携, account link");

        await app.Dispatcher.DispatchAsync([WebhookEvents.Text("連携")], CancellationToken.None);
        await app.Dispatcher.DispatchAsync([WebhookEvents.Text("Account Link")], CancellationToken.None);
        await app.Dispatcher.DispatchAsync([WebhookEvents.Text("link")], CancellationToken.None);

        Assert.Equal(2, Replies(app));
    }

    [Fact]
    public async Task DispatchAsync_NonTextMessageWithKeywordLikeText_IsIgnored()
    {
        var app = App();

        await app.Dispatcher.DispatchAsync([WebhookEvents.Text("link") with { MessageType = "sticker" }], CancellationToken.None);

        Assert.Equal(0, Replies(app));
    }

    [Fact]
    public async Task DispatchAsync_FollowWithPromptOnFollow_Prompts()
    {
        var app = App();

        await app.Dispatcher.DispatchAsync([WebhookEvents.Follow()], CancellationToken.None);

        Assert.Equal(1, Replies(app));
    }

    [Fact]
    public async Task DispatchAsync_FollowWithoutPromptOnFollow_IsIgnored()
    {
        var app = App(promptOnFollow: false);

        await app.Dispatcher.DispatchAsync([WebhookEvents.Follow()], CancellationToken.None);

        Assert.Equal(0, Replies(app));
        Assert.Empty(app.Transient.Invocations);
    }

    [Theory]
    [InlineData("unfollow")]
    [InlineData("postback")]
    [InlineData("undefined")]
    [InlineData(null)]
    public async Task DispatchAsync_EventsTheAppDoesNotActOn_AreIgnored(string? type)
    {
        var app = App();

        var ok = await app.Dispatcher.DispatchAsync([WebhookEvents.Follow() with { Type = type }], CancellationToken.None);

        Assert.True(ok);
        Assert.Empty(app.Transient.Invocations);
    }

    [Fact]
    public async Task DispatchAsync_OneOfSeveralEventsNotStored_AsksForRedeliveryAndStillHandlesTheOthers()
    {
        var app = App();
        app.Transient.Setup(t => t.ReadNonceAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new StorageException("read", 503));
        var accountLink = new WebhookEvent
        {
            Type = "accountLink", SourceType = "user", SourceUserId = WebhookEvents.LineUserId, ReplyToken = "r", Timestamp = 1764072000000,
            WebhookEventId = "e-link", LinkResult = "ok", LinkNonce = LinkFunctions.Linking.Nonce.Create(),
        };
        var events = new[]
        {
            WebhookEvents.Text("link", userId: "U11111111111111111111111111111111", eventId: "e1"),
            accountLink,
            WebhookEvents.Text("link", userId: "U22222222222222222222222222222222", eventId: "e2"),
            WebhookEvents.Text("hello", eventId: "e3"),
            WebhookEvents.Follow("U33333333333333333333333333333333") with { WebhookEventId = "e4", ReplyToken = "r4" },
        };

        var ok = await app.Dispatcher.DispatchAsync(events, CancellationToken.None);

        Assert.False(ok);
        Assert.Equal(3, Replies(app));
    }

    [Fact]
    public async Task DispatchAsync_EventsWhoseHandlersFinishAtOnce_CompleteOnTheCallingThread()
    {
        var app = App();
        app.Transient.Setup(t => t.ReadNonceAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((Stored<NonceDocument>?)null);
        var events = Enumerable.Range(0, 10).Select(i => i % 4 == 0 ? AccountLink($"e{i}") : WebhookEvents.Text("hello", eventId: $"e{i}")).ToArray();

        var dispatching = app.Dispatcher.DispatchAsync(events, CancellationToken.None);

        // Nothing waited, so nothing was handed to the thread pool: the answer is there when the call returns.
        Assert.True(dispatching.IsCompletedSuccessfully);
        Assert.True(await dispatching);
        Assert.Equal(3, app.Transient.Invocations.Count);
    }

    [Fact]
    public async Task DispatchAsync_HandlersThatWait_RunSideBySideAtMostFourAtOnce()
    {
        var app = App();
        var release = new TaskCompletionSource<Stored<NonceDocument>?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        app.Transient.Setup(t => t.ReadNonceAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                Interlocked.Increment(ref started);
                return release.Task;
            });
        var events = Enumerable.Range(0, 6).Select(i => AccountLink($"e{i}")).ToArray();

        var dispatching = app.Dispatcher.DispatchAsync(events, CancellationToken.None);
        await Task.Delay(50);

        Assert.Equal(4, Volatile.Read(ref started));
        Assert.False(dispatching.IsCompleted);
        release.SetResult(null);
        Assert.True(await dispatching);
        Assert.Equal(6, started);
    }

    [Fact]
    public async Task DispatchAsync_AHandlerThrows_LetsTheRunningOnesFinishThenThrows()
    {
        var app = App();
        var release = new TaskCompletionSource<Stored<NonceDocument>?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = 0;
        app.Transient.Setup(t => t.ReadNonceAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns(async () =>
            {
                var stored = await release.Task;
                Interlocked.Increment(ref finished);
                return stored;
            });
        app.Transient.Setup(t => t.TryCreateMarkerAsync(It.IsAny<EventMarkerDocument>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("a bug, not a storage failure"));

        var dispatching = app.Dispatcher.DispatchAsync([AccountLink("e1"), AccountLink("e2"), WebhookEvents.Text("link", eventId: "e3")], CancellationToken.None);
        await Task.Delay(50);
        Assert.False(dispatching.IsCompleted);
        release.SetResult(null);

        await Assert.ThrowsAsync<InvalidOperationException>(() => dispatching);
        Assert.Equal(2, finished);
    }

    [Theory]
    [InlineData("accountLink", null, null, null, true)]
    [InlineData("message", "text", " LINK ", null, true)]
    [InlineData("message", "text", "unlink", null, true)]
    [InlineData("message", "text", "hello", null, false)]
    [InlineData("message", "image", "link", null, false)]
    [InlineData("follow", null, null, null, true)]
    [InlineData("postback", null, null, "action=unlink", true)]
    [InlineData("postback", null, null, "action=buy", false)]
    [InlineData("unfollow", null, null, null, false)]
    [InlineData("join", null, null, null, false)]
    [InlineData(null, null, null, null, false)]
    public void ActsOn_RoutingFields_SaysWhetherAHandlerTakesTheEvent(string? type, string? messageType, string? text, string? data, bool expected)
    {
        Assert.Equal(expected, App().Dispatcher.ActsOn(type, messageType, text, data));
    }

    private static WebhookEvent AccountLink(string eventId) => new()
    {
        Type = "accountLink", SourceType = "user", SourceUserId = WebhookEvents.LineUserId, ReplyToken = "r-" + eventId, Timestamp = 1764072000000,
        WebhookEventId = eventId, LinkResult = "ok", LinkNonce = LinkFunctions.Linking.Nonce.Create(),
    };
}
