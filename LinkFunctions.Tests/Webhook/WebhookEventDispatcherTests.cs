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
}
