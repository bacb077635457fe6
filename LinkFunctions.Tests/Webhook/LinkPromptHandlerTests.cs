using System.Net;
using System.Text.Json;
using LinkFunctions.Storage;
using LinkFunctions.Tests.LineApi;
using LinkFunctions.Webhook;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace LinkFunctions.Tests.Webhook;

public class LinkPromptHandlerTests
{
    private readonly WebhookTestApp app = new();
    private readonly List<EventMarkerDocument> markers = [];

    public LinkPromptHandlerTests()
    {
        app.Transient.Setup(t => t.TryCreateMarkerAsync(It.IsAny<EventMarkerDocument>(), It.IsAny<CancellationToken>()))
            .Callback((EventMarkerDocument m, CancellationToken _) => markers.Add(m))
            .ReturnsAsync(true);
    }

    private IReadOnlyList<RecordedRequest> Replies => app.Line.Handler.RequestsTo("/v2/bot/message/reply");

    private static string ReplyText(RecordedRequest reply) =>
        JsonDocument.Parse(reply.Body!).RootElement.GetProperty("messages")[0].GetProperty("text").GetString()!;

    [Fact]
    public async Task HandleAsync_KeywordInOneToOneChat_RepliesWithALinkingUrlForThatUser()
    {
        var e = WebhookEvents.Text("link");

        var outcome = await app.PromptHandler.HandleAsync(e, CancellationToken.None);

        Assert.Equal(EventOutcome.Handled, outcome);
        var reply = Assert.Single(Replies);
        Assert.Contains($"{WebhookTestApp.PublicBaseUrl.ToString().TrimEnd('/')}/api/link?linkToken={app.Line.Handler.LinkToken}", ReplyText(reply));
        Assert.Contains("unlink", ReplyText(reply));
        Assert.Equal(e.ReplyToken, JsonDocument.Parse(reply.Body!).RootElement.GetProperty("replyToken").GetString());
        Assert.Single(app.Line.Handler.RequestsTo($"/v2/bot/user/{WebhookEvents.LineUserId}/linkToken"));
        app.Transient.Verify(t => t.SaveLinkTokenAsync(It.Is<LinkTokenDocument>(d => d.LineUserId == WebhookEvents.LineUserId), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task HandleAsync_Always_WritesTheMarkerBeforeIssuingOrReplying()
    {
        var order = new List<string>();
        app.Transient.Setup(t => t.TryCreateMarkerAsync(It.IsAny<EventMarkerDocument>(), It.IsAny<CancellationToken>()))
            .Callback(() => order.Add($"marker after {app.Line.Handler.Requests.Count} LINE calls"))
            .ReturnsAsync(true);

        await app.PromptHandler.HandleAsync(WebhookEvents.Text("link"), CancellationToken.None);

        Assert.Equal(new[] { "marker after 0 LINE calls" }, order);
        Assert.Single(Replies);
    }

    [Fact]
    public async Task HandleAsync_MarkerKey_IsTheHashedWebhookEventId()
    {
        var e = WebhookEvents.Text("link");

        await app.PromptHandler.HandleAsync(e, CancellationToken.None);

        var marker = Assert.Single(markers);
        Assert.Equal(app.Provider.EventMarker(e.WebhookEventId!), marker.Id);
        Assert.DoesNotContain(e.WebhookEventId!, marker.Id);
        Assert.Equal(app.Time.GetUtcNow() + LinkFunctions.Linking.LinkingPolicy.DedupeWindow, marker.ExpiresAt);
    }

    [Fact]
    public async Task HandleAsync_NoWebhookEventId_KeysTheMarkerByTheReplyToken()
    {
        var first = WebhookEvents.Text("link", eventId: null);

        await app.PromptHandler.HandleAsync(first, CancellationToken.None);
        await app.PromptHandler.HandleAsync(first with { IsRedelivery = true }, CancellationToken.None);

        Assert.Equal(2, markers.Count);
        Assert.Equal(markers[0].Id, markers[1].Id);
        Assert.Equal(app.Provider.EventMarker($"reply:{first.ReplyToken}"), markers[0].Id);
    }

    [Fact]
    public async Task HandleAsync_MarkerAlreadyExists_ReturnsDuplicateWithoutReplying()
    {
        app.Transient.Setup(t => t.TryCreateMarkerAsync(It.IsAny<EventMarkerDocument>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);

        var outcome = await app.PromptHandler.HandleAsync(WebhookEvents.Text("link"), CancellationToken.None);

        Assert.Equal(EventOutcome.Duplicate, outcome);
        Assert.Empty(app.Line.Handler.Requests);
    }

    [Theory]
    [InlineData("group")]
    [InlineData("room")]
    public async Task HandleAsync_KeywordInAGroup_RepliesOneToOneOnlyWithoutALinkToken(string sourceType)
    {
        var outcome = await app.PromptHandler.HandleAsync(WebhookEvents.Text("link", sourceType), CancellationToken.None);

        Assert.Equal(EventOutcome.Handled, outcome);
        var reply = Assert.Single(Replies);
        Assert.DoesNotContain("linkToken", ReplyText(reply));
        Assert.DoesNotContain("http", ReplyText(reply));
        Assert.Empty(app.Line.Handler.Requests.Where(r => r.Path.EndsWith("/linkToken", StringComparison.Ordinal)).ToList());
        app.Transient.Verify(t => t.SaveLinkTokenAsync(It.IsAny<LinkTokenDocument>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task HandleAsync_Standby_IsIgnored()
    {
        var outcome = await app.PromptHandler.HandleAsync(WebhookEvents.Text("link") with { Mode = "standby" }, CancellationToken.None);

        Assert.Equal(EventOutcome.Ignored, outcome);
        Assert.Empty(app.Transient.Invocations);
        Assert.Empty(app.Line.Handler.Requests);
    }

    [Fact]
    public async Task HandleAsync_NoReplyToken_IsIgnored()
    {
        var outcome = await app.PromptHandler.HandleAsync(WebhookEvents.Text("link") with { ReplyToken = null }, CancellationToken.None);

        Assert.Equal(EventOutcome.Ignored, outcome);
        Assert.Empty(app.Transient.Invocations);
    }

    [Theory]
    [InlineData("U123")]
    [InlineData(null)]
    public async Task HandleAsync_OneToOneWithoutARealFormatUserId_IsIgnored(string? userId)
    {
        var outcome = await app.PromptHandler.HandleAsync(WebhookEvents.Text("link", userId: userId), CancellationToken.None);

        Assert.Equal(EventOutcome.Ignored, outcome);
        Assert.Empty(app.Line.Handler.Requests);
    }

    [Fact]
    public async Task HandleAsync_ReplyFails_IsStillHandled()
    {
        app.Line.Handler.Respond("/v2/bot/message/reply", _ => FakeLineHandler.Json(HttpStatusCode.BadRequest, """{"message":"Invalid reply token"}""", "req-400"));

        var outcome = await app.PromptHandler.HandleAsync(WebhookEvents.Text("link"), CancellationToken.None);

        Assert.Equal(EventOutcome.Handled, outcome);
    }

    [Fact]
    public async Task HandleAsync_MarkerStorageFails_IsHandledWithoutReplying()
    {
        app.Transient.Setup(t => t.TryCreateMarkerAsync(It.IsAny<EventMarkerDocument>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new StorageException("create", 503));

        var outcome = await app.PromptHandler.HandleAsync(WebhookEvents.Text("link"), CancellationToken.None);

        Assert.Equal(EventOutcome.Handled, outcome);
        Assert.Empty(app.Line.Handler.Requests);
    }

    [Fact]
    public async Task HandleAsync_FollowFromALinkedUser_SendsNoPromptAndWritesNoMarker()
    {
        // follow also fires when a linked user unblocks the account.
        SeedLink(WebhookEvents.LineUserId, "alice");

        var outcome = await app.PromptHandler.HandleAsync(WebhookEvents.Follow(), CancellationToken.None);

        Assert.Equal(EventOutcome.Ignored, outcome);
        Assert.Empty(app.Line.Handler.Requests);
        Assert.Empty(markers);
    }

    [Fact]
    public async Task HandleAsync_FollowFromAnUnlinkedUser_RepliesWithALinkingUrl()
    {
        var outcome = await app.PromptHandler.HandleAsync(WebhookEvents.Follow(), CancellationToken.None);

        Assert.Equal(EventOutcome.Handled, outcome);
        Assert.Contains("linkToken=", ReplyText(Assert.Single(Replies)));
    }

    [Fact]
    public async Task HandleAsync_FollowWhenTheLinkCannotBeRead_SendsNoPrompt()
    {
        var failing = new Mock<ILinkRepository>();
        failing.Setup(r => r.ReadAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new StorageException("read", 503));
        var handler = new LinkPromptHandler(
            app.Transient.Object,
            new LinkFunctions.Linking.LinkTokenService(
                app.Line.Client, app.Transient.Object, app.Provider, Microsoft.Extensions.Options.Options.Create(app.Linking), app.Time),
            new LinkFunctions.Linking.LinkReader(failing.Object, app.Provider, app.Time, NullLogger<LinkFunctions.Linking.LinkReader>.Instance),
            app.Line.Client, app.Provider, app.Time, NullLogger<LinkPromptHandler>.Instance);

        var outcome = await handler.HandleAsync(WebhookEvents.Follow(), CancellationToken.None);

        Assert.Equal(EventOutcome.Handled, outcome);
        Assert.Empty(app.Line.Handler.Requests);
    }

    [Fact]
    public async Task HandleAsync_KeywordFromALinkedUser_StillRepliesWithALinkingUrl()
    {
        // The user asked: the keyword is the chat's way to relink to another account.
        SeedLink(WebhookEvents.LineUserId, "alice");

        var outcome = await app.PromptHandler.HandleAsync(WebhookEvents.Text("link"), CancellationToken.None);

        Assert.Equal(EventOutcome.Handled, outcome);
        Assert.Contains("linkToken=", ReplyText(Assert.Single(Replies)));
    }

    private void SeedLink(string lineUserId, string serviceUserId)
    {
        var at = app.Time.GetUtcNow() - TimeSpan.FromDays(1);
        foreach (var id in new[] { app.Provider.LineSide(lineUserId), app.Provider.UserSide(serviceUserId) })
        {
            app.Links.Seed(new LinkDocument
            {
                Id = id, LineUserId = lineUserId, ServiceUserId = serviceUserId, LinkId = "link-1", Version = 1, State = LinkStates.Linked,
                Method = "messaging-api", LinkedAt = at, WrittenAt = at,
            });
        }
    }
}
