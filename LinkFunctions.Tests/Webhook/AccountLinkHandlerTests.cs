using System.Net;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using LinkFunctions.Tests.LineApi;
using LinkFunctions.Webhook;
using Moq;

namespace LinkFunctions.Tests.Webhook;

public class AccountLinkHandlerTests
{
    private readonly WebhookTestApp app = new();
    private readonly string nonce = Nonce.Create();

    private IReadOnlyList<RecordedRequest> Replies => app.Line.Handler.RequestsTo("/v2/bot/message/reply");

    private WebhookEvent AccountLink(string result = "ok", string? mode = "active") => new()
    {
        Type = "accountLink",
        Mode = mode,
        Timestamp = app.Time.GetUtcNow().ToUnixTimeMilliseconds(),
        WebhookEventId = "01FZ74A0TDDPYRVKNK77XKC3ZR",
        ReplyToken = result == "ok" ? "b60d432864f44d079f6d8efe86cf404b" : null,
        SourceType = result == "ok" ? "user" : null,
        SourceUserId = result == "ok" ? WebhookEvents.LineUserId : null,
        LinkResult = result,
        LinkNonce = nonce,
    };

    private void PendingNonce(string status = NonceStates.Pending, string? consumedBy = null) =>
        app.Transient.Setup(t => t.ReadNonceAsync(app.Provider.Nonce(nonce), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Stored<NonceDocument>(
                new NonceDocument
                {
                    Id = app.Provider.Nonce(nonce), ServiceUserId = "alice", ExpectedLineUserId = WebhookEvents.LineUserId,
                    ExpiresAt = app.Time.GetUtcNow() + LinkingPolicy.NonceLifetime, Status = status, ConsumedByEventId = consumedBy, Ttl = 3600,
                },
                "\"n1\""));

    [Fact]
    public async Task HandleAsync_Linked_RepliesWithTheConfirmation()
    {
        PendingNonce();
        app.Transient.Setup(t => t.ReplaceNonceAsync(It.IsAny<NonceDocument>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(WriteOutcome.Ok);

        var outcome = await app.AccountLinkHandler.HandleAsync(AccountLink(), CancellationToken.None);

        Assert.Equal(EventOutcome.Handled, outcome);
        var reply = Assert.Single(Replies);
        Assert.Contains("linked", reply.Body);
        Assert.Contains("b60d432864f44d079f6d8efe86cf404b", reply.Body);
    }

    [Fact]
    public async Task HandleAsync_LinkedInStandby_DoesNotReply()
    {
        PendingNonce();
        app.Transient.Setup(t => t.ReplaceNonceAsync(It.IsAny<NonceDocument>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(WriteOutcome.Ok);

        var outcome = await app.AccountLinkHandler.HandleAsync(AccountLink(mode: "standby"), CancellationToken.None);

        Assert.Equal(EventOutcome.Handled, outcome);
        Assert.Empty(Replies);
        Assert.NotNull(app.Links.Get(app.Provider.LineSide(WebhookEvents.LineUserId)));
    }

    [Fact]
    public async Task HandleAsync_Duplicate_ReturnsDuplicateWithoutReplying()
    {
        PendingNonce(NonceStates.Consumed, "01FZ74A0TDDPYRVKNK77XKC3ZR");

        var outcome = await app.AccountLinkHandler.HandleAsync(AccountLink(), CancellationToken.None);

        Assert.Equal(EventOutcome.Duplicate, outcome);
        Assert.Empty(app.Line.Handler.Requests);
    }

    [Fact]
    public async Task HandleAsync_LostTheNonceRace_ReturnsDuplicateWithoutReplying()
    {
        PendingNonce();
        app.Transient.Setup(t => t.ReplaceNonceAsync(It.IsAny<NonceDocument>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(WriteOutcome.PreconditionFailed);

        var outcome = await app.AccountLinkHandler.HandleAsync(AccountLink(), CancellationToken.None);

        Assert.Equal(EventOutcome.Duplicate, outcome);
        Assert.Empty(Replies);
    }

    [Fact]
    public async Task HandleAsync_Failed_IsHandledWithoutReplying()
    {
        PendingNonce();

        var outcome = await app.AccountLinkHandler.HandleAsync(AccountLink("failed"), CancellationToken.None);

        Assert.Equal(EventOutcome.Handled, outcome);
        Assert.Empty(app.Line.Handler.Requests);
    }

    [Fact]
    public async Task HandleAsync_NotStored_AsksForRedelivery()
    {
        app.Transient.Setup(t => t.ReadNonceAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new StorageException("read", 503));

        var outcome = await app.AccountLinkHandler.HandleAsync(AccountLink(), CancellationToken.None);

        Assert.Equal(EventOutcome.Retry, outcome);
        Assert.Empty(app.Line.Handler.Requests);
    }

    [Fact]
    public async Task HandleAsync_Cancelled_AsksForRedelivery()
    {
        PendingNonce();
        using var cts = new CancellationTokenSource();
        app.Transient.Setup(t => t.ReadNonceAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new OperationCanceledException(cts.Token));

        var outcome = await app.AccountLinkHandler.HandleAsync(AccountLink(), CancellationToken.None);

        Assert.Equal(EventOutcome.Retry, outcome);
    }

    [Fact]
    public async Task HandleAsync_ConfirmationReplyFails_IsStillHandled()
    {
        PendingNonce();
        app.Transient.Setup(t => t.ReplaceNonceAsync(It.IsAny<NonceDocument>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(WriteOutcome.Ok);
        app.Line.Handler.Respond("/v2/bot/message/reply", _ => FakeLineHandler.Json(HttpStatusCode.InternalServerError, "{}", "req-500"));

        var outcome = await app.AccountLinkHandler.HandleAsync(AccountLink(), CancellationToken.None);

        Assert.Equal(EventOutcome.Handled, outcome);
        Assert.Single(Replies);
    }
}
