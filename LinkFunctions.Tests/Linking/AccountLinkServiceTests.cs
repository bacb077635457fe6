using System.Security.Cryptography;
using System.Text;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using LinkFunctions.Webhook;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace LinkFunctions.Tests.Linking;

public class AccountLinkServiceTests
{
    private const string LineUserId = "U4af4980629f4e5e0aa5e3c8f5b1b2c3d";
    private const string OtherLineUserId = "U91eeaf62d901234567890123456789ab";
    private const string ServiceUserId = "alice";
    private const string EventId = "01FZ74A0TDDPYRVKNK77XKC3ZR";
    private const string NonceETag = "\"nonce-etag-1\"";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly ProviderKey provider = new("1234567890");
    private readonly Mock<ITransientRepository> transient = new(MockBehavior.Strict);
    private readonly InMemoryLinkRepository links = new();
    private readonly List<AuditDocument> audits = [];
    private readonly List<NonceDocument> nonceReplacements = [];
    private readonly List<string> order = [];
    private readonly string nonce = Nonce.Create();
    private WriteOutcome replaceOutcome = WriteOutcome.Ok;

    public AccountLinkServiceTests()
    {
        links.OnCall = call => order.Add(call.Split(' ')[0] + " link");
        transient.Setup(t => t.ReplaceNonceAsync(It.IsAny<NonceDocument>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback((NonceDocument doc, string ifMatch, CancellationToken _) =>
            {
                Assert.Equal(NonceETag, ifMatch);
                nonceReplacements.Add(doc);
                order.Add("replace nonce");
            })
            .ReturnsAsync(() => replaceOutcome);
    }

    private DateTimeOffset Now => time.GetUtcNow();

    private string LinkId => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(nonce)));

    private NonceDocument PendingNonce(string status = NonceStates.Pending, string? consumedBy = null, DateTimeOffset? expiresAt = null) => new()
    {
        Id = provider.Nonce(nonce),
        ServiceUserId = ServiceUserId,
        ExpectedLineUserId = LineUserId,
        ExpiresAt = expiresAt ?? Now + LinkingPolicy.NonceLifetime,
        Status = status,
        ConsumedByEventId = consumedBy,
        Ttl = 3600,
    };

    private WebhookEvent OkEvent(string? sourceUserId = LineUserId, string? result = "ok", DateTimeOffset? at = null, string? eventId = EventId) => new()
    {
        Type = "accountLink",
        Mode = "active",
        Timestamp = (at ?? Now).ToUnixTimeMilliseconds(),
        WebhookEventId = eventId,
        ReplyToken = sourceUserId is null ? null : "b60d432864f44d079f6d8efe86cf404b",
        SourceType = sourceUserId is null ? null : "user",
        SourceUserId = sourceUserId,
        LinkResult = result,
        LinkNonce = nonce,
    };

    private void StoreNonce(NonceDocument? document) =>
        transient.Setup(t => t.ReadNonceAsync(provider.Nonce(nonce), It.IsAny<CancellationToken>()))
            .Callback(() => order.Add("read nonce"))
            .ReturnsAsync(document is null ? null : new Stored<NonceDocument>(document, NonceETag));

    private AccountLinkService Service(ILinkRepository? linkRepository = null)
    {
        var audit = new Mock<IAuditLog>(MockBehavior.Strict);
        audit.Setup(a => a.AppendAsync(It.IsAny<AuditDocument>(), It.IsAny<CancellationToken>()))
            .Callback((AuditDocument doc, CancellationToken _) =>
            {
                audits.Add(doc);
                order.Add("audit");
            })
            .Returns(Task.CompletedTask);
        var writer = new LinkWriter(linkRepository ?? links, provider, time, NullLogger<LinkWriter>.Instance);
        return new AccountLinkService(transient.Object, writer, audit.Object, provider, time, NullLogger<AccountLinkService>.Instance);
    }

    [Fact]
    public async Task HandleAsync_OkWithPendingNonceAndMatchingUser_LinksBothHalves()
    {
        StoreNonce(PendingNonce());
        var e = OkEvent();

        var outcome = await Service().HandleAsync(e, CancellationToken.None);

        Assert.Equal(AccountLinkOutcome.Linked, outcome);
        var line = links.Get(provider.LineSide(LineUserId))!.Document;
        var user = links.Get(provider.UserSide(ServiceUserId))!.Document;
        foreach (var half in new[] { line, user })
        {
            Assert.Equal(LinkId, half.LinkId);
            Assert.Equal(LineUserId, half.LineUserId);
            Assert.Equal(ServiceUserId, half.ServiceUserId);
            Assert.Equal(LinkStates.Linked, half.State);
            Assert.Equal(e.Timestamp, half.Version);
            Assert.Equal(AccountLinkService.Method, half.Method);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(e.Timestamp!.Value), half.LinkedAt);
        }
    }

    [Fact]
    public async Task HandleAsync_OkWithPendingNonceAndMatchingUser_ConsumesTheNonceForThisEvent()
    {
        StoreNonce(PendingNonce());

        await Service().HandleAsync(OkEvent(), CancellationToken.None);

        var consumed = Assert.Single(nonceReplacements);
        Assert.Equal(NonceStates.Consumed, consumed.Status);
        Assert.Equal(EventId, consumed.ConsumedByEventId);
        Assert.Equal(provider.Nonce(nonce), consumed.Id);
        Assert.Equal(ServiceUserId, consumed.ServiceUserId);
        Assert.Equal(LineUserId, consumed.ExpectedLineUserId);
    }

    [Fact]
    public async Task HandleAsync_OkWithPendingNonceAndMatchingUser_AuditsWithoutTheRawLineUserId()
    {
        StoreNonce(PendingNonce());

        await Service().HandleAsync(OkEvent(), CancellationToken.None);

        var entry = Assert.Single(audits);
        Assert.Equal("linked", entry.Action);
        Assert.Equal(LinkId, entry.LinkId);
        Assert.Equal(provider.AuditPartition(ServiceUserId), entry.Partition);
        Assert.Equal(AccountLinkService.Method, entry.Method);
        Assert.NotNull(entry.LineUserIdHash);
        Assert.DoesNotContain(LineUserId, entry.LineUserIdHash);
        Assert.DoesNotContain(LineUserId, entry.Id);
        Assert.DoesNotContain(nonce, entry.Id);
        Assert.DoesNotContain(EventId, entry.Id);
    }

    [Fact]
    public async Task HandleAsync_Linked_ConsumesTheNonceOnlyAfterTheLinkWriteAndTheAudit()
    {
        StoreNonce(PendingNonce());

        await Service().HandleAsync(OkEvent(), CancellationToken.None);

        Assert.Equal("read nonce", order[0]);
        Assert.Equal("replace nonce", order[^1]);
        Assert.Equal("audit", order[^2]);
        Assert.Equal(2, order.Count(o => o == "create link"));
        Assert.True(order.LastIndexOf("create link") < order.IndexOf("audit"));
        Assert.Single(order, o => o == "replace nonce");
    }

    [Fact]
    public async Task HandleAsync_SameEventAgainAfterConsumption_ReturnsDuplicateWithoutWrites()
    {
        StoreNonce(PendingNonce(NonceStates.Consumed, EventId));

        var outcome = await Service().HandleAsync(OkEvent(), CancellationToken.None);

        Assert.Equal(AccountLinkOutcome.Duplicate, outcome);
        Assert.Empty(links.Calls);
        Assert.Empty(audits);
        Assert.Empty(nonceReplacements);
    }

    [Fact]
    public async Task HandleAsync_RedeliveryAfterTheLinkButBeforeTheNonce_ResumesAndLinksIdempotently()
    {
        StoreNonce(PendingNonce());
        var service = Service();
        await service.HandleAsync(OkEvent(), CancellationToken.None);
        var etagsAfterFirst = (links.Get(provider.LineSide(LineUserId))!.ETag, links.Get(provider.UserSide(ServiceUserId))!.ETag);
        links.Calls.Clear();

        var outcome = await service.HandleAsync(OkEvent() with { IsRedelivery = true }, CancellationToken.None);

        Assert.Equal(AccountLinkOutcome.Linked, outcome);
        Assert.Equal(0, links.Writes);
        Assert.Equal(etagsAfterFirst, (links.Get(provider.LineSide(LineUserId))!.ETag, links.Get(provider.UserSide(ServiceUserId))!.ETag));
        Assert.Equal(audits[0].Key, audits[1].Key);
    }

    [Fact]
    public async Task HandleAsync_NonceConsumedByAnotherEvent_ReturnsRejectedWithoutLinkingOrMarking()
    {
        StoreNonce(PendingNonce(NonceStates.Consumed, "another-event"));

        var outcome = await Service().HandleAsync(OkEvent(), CancellationToken.None);

        Assert.Equal(AccountLinkOutcome.Rejected, outcome);
        Assert.Equal(0, links.Writes);
        Assert.Empty(nonceReplacements);
    }

    [Fact]
    public async Task HandleAsync_EventAfterTheNonceExpired_ReturnsRejectedAndMarksTheNonceFailed()
    {
        var expiresAt = Now - TimeSpan.FromMinutes(1);
        StoreNonce(PendingNonce(expiresAt: expiresAt));

        var outcome = await Service().HandleAsync(OkEvent(at: expiresAt + TimeSpan.FromMilliseconds(1)), CancellationToken.None);

        Assert.Equal(AccountLinkOutcome.Rejected, outcome);
        Assert.Empty(links.Calls);
        var failed = Assert.Single(nonceReplacements);
        Assert.Equal(NonceStates.Failed, failed.Status);
        Assert.Equal(EventId, failed.ConsumedByEventId);
        Assert.Equal("failed", Assert.Single(audits).Action);
    }

    [Fact]
    public async Task HandleAsync_LateRedeliveryOfAnEventFromBeforeExpiry_Links()
    {
        var expiresAt = Now - TimeSpan.FromHours(1);
        StoreNonce(PendingNonce(expiresAt: expiresAt));

        var outcome = await Service().HandleAsync(OkEvent(at: expiresAt - TimeSpan.FromMinutes(1)) with { IsRedelivery = true }, CancellationToken.None);

        Assert.Equal(AccountLinkOutcome.Linked, outcome);
    }

    [Fact]
    public async Task HandleAsync_SourceUserIsNotTheExpectedLineUser_ReturnsRejectedMarksFailedAndDoesNotLink()
    {
        StoreNonce(PendingNonce());

        var outcome = await Service().HandleAsync(OkEvent(sourceUserId: OtherLineUserId), CancellationToken.None);

        Assert.Equal(AccountLinkOutcome.Rejected, outcome);
        Assert.Empty(links.Calls);
        Assert.Null(links.Get(provider.LineSide(OtherLineUserId)));
        Assert.Equal(NonceStates.Failed, Assert.Single(nonceReplacements).Status);
    }

    [Fact]
    public async Task HandleAsync_OkWithoutSourceUser_ReturnsRejectedAndDoesNotLink()
    {
        StoreNonce(PendingNonce());

        var outcome = await Service().HandleAsync(OkEvent(sourceUserId: null), CancellationToken.None);

        Assert.Equal(AccountLinkOutcome.Rejected, outcome);
        Assert.Empty(links.Calls);
        Assert.Equal(NonceStates.Failed, Assert.Single(nonceReplacements).Status);
    }

    [Theory]
    [InlineData("failed", false)]
    [InlineData("OK", false)]
    [InlineData(null, false)]
    [InlineData("failed", true)]
    [InlineData("OK", true)]
    [InlineData(null, true)]
    public async Task HandleAsync_ResultNotOk_ReturnsRejectedAndMarksTheNonceFailed(string? result, bool fromTheExpectedUser)
    {
        // From the expected LINE user, the sender check passes: only the result check stands between this and a link.
        StoreNonce(PendingNonce());

        var outcome = await Service().HandleAsync(OkEvent(sourceUserId: fromTheExpectedUser ? LineUserId : null, result: result), CancellationToken.None);

        Assert.Equal(AccountLinkOutcome.Rejected, outcome);
        Assert.Empty(links.Calls);
        var failed = Assert.Single(nonceReplacements);
        Assert.Equal(NonceStates.Failed, failed.Status);
        Assert.Equal(EventId, failed.ConsumedByEventId);
    }

    [Fact]
    public async Task HandleAsync_UnknownNonce_ReturnsRejectedWithoutWrites()
    {
        StoreNonce(null);

        var outcome = await Service().HandleAsync(OkEvent(), CancellationToken.None);

        Assert.Equal(AccountLinkOutcome.Rejected, outcome);
        Assert.Empty(links.Calls);
        Assert.Empty(nonceReplacements);
        Assert.Empty(audits);
    }

    [Fact]
    public async Task HandleAsync_NonceBeyondTheDedupeWindow_ReturnsRejectedAsUnknown()
    {
        StoreNonce(PendingNonce(expiresAt: Now - LinkingPolicy.DedupeWindow - TimeSpan.FromSeconds(1)));

        var outcome = await Service().HandleAsync(OkEvent(at: Now - LinkingPolicy.DedupeWindow - TimeSpan.FromMinutes(1)), CancellationToken.None);

        Assert.Equal(AccountLinkOutcome.Rejected, outcome);
        Assert.Empty(links.Calls);
        Assert.Empty(nonceReplacements);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("xxxxxxxxxxxxxxx")]
    [InlineData("nonce with spaces that is long enough to be 43 chars")]
    [InlineData("0123456789abcdefghijABCDEFGHIJ+/0123456789a")]
    public async Task HandleAsync_MalformedNonce_ReturnsRejectedWithoutAnyRepositoryCall(string? malformed)
    {
        var audit = new Mock<IAuditLog>(MockBehavior.Strict);
        var linkRepository = new Mock<ILinkRepository>(MockBehavior.Strict);
        var strictTransient = new Mock<ITransientRepository>(MockBehavior.Strict);
        var service = new AccountLinkService(
            strictTransient.Object, new LinkWriter(linkRepository.Object, provider, time, NullLogger<LinkWriter>.Instance), audit.Object,
            provider, time, NullLogger<AccountLinkService>.Instance);

        var outcome = await service.HandleAsync(OkEvent() with { LinkNonce = malformed }, CancellationToken.None);

        Assert.Equal(AccountLinkOutcome.Rejected, outcome);
        Assert.Empty(strictTransient.Invocations);
        Assert.Empty(linkRepository.Invocations);
        Assert.Empty(audit.Invocations);
    }

    [Fact]
    public async Task HandleAsync_NonceReplaceLosesTheRace_ReturnsDuplicate()
    {
        StoreNonce(PendingNonce());
        replaceOutcome = WriteOutcome.PreconditionFailed;

        var outcome = await Service().HandleAsync(OkEvent(), CancellationToken.None);

        Assert.Equal(AccountLinkOutcome.Duplicate, outcome);
        Assert.NotNull(links.Get(provider.LineSide(LineUserId)));
    }

    [Fact]
    public async Task HandleAsync_LinkRepositoryThrows_PropagatesAndLeavesTheNoncePending()
    {
        StoreNonce(PendingNonce());
        var failing = new Mock<ILinkRepository>();
        failing.Setup(l => l.ReadAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new StorageException("read", 503));
        failing.Setup(l => l.CreateAsync(It.IsAny<LinkDocument>(), It.IsAny<CancellationToken>())).ThrowsAsync(new StorageException("create", 503));

        await Assert.ThrowsAsync<StorageException>(() => Service(failing.Object).HandleAsync(OkEvent(), CancellationToken.None));

        Assert.Empty(nonceReplacements);
        Assert.Empty(audits);
    }

    [Fact]
    public async Task HandleAsync_LinkCreateThrowsOnTheUserSide_PropagatesAndLeavesTheNoncePending()
    {
        StoreNonce(PendingNonce());
        var failing = new Mock<ILinkRepository>();
        failing.Setup(l => l.ReadAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((Stored<LinkDocument>?)null);
        failing.Setup(l => l.CreateAsync(It.Is<LinkDocument>(d => d.Id.StartsWith("line:")), It.IsAny<CancellationToken>()))
            .ReturnsAsync((WriteOutcome.Ok, "\"e1\""));
        failing.Setup(l => l.CreateAsync(It.Is<LinkDocument>(d => d.Id.StartsWith("user:")), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new StorageException("create", 500));

        await Assert.ThrowsAsync<StorageException>(() => Service(failing.Object).HandleAsync(OkEvent(), CancellationToken.None));

        Assert.Empty(nonceReplacements);
    }

    [Fact]
    public async Task HandleAsync_EventWithoutWebhookEventId_UsesNonceAndTimestampAsTheEventKey()
    {
        StoreNonce(PendingNonce());
        var e = OkEvent(eventId: null);

        await Service().HandleAsync(e, CancellationToken.None);

        Assert.Equal($"{nonce}:{e.Timestamp}", Assert.Single(nonceReplacements).ConsumedByEventId);
    }

    [Fact]
    public async Task HandleAsync_NewerLinkHoldsTheLineSide_ReturnsSupersededAndSpendsTheNonce()
    {
        StoreNonce(PendingNonce());
        var newer = Now + TimeSpan.FromMinutes(5);
        links.Seed(new LinkDocument
        {
            Id = provider.LineSide(LineUserId), LineUserId = LineUserId, ServiceUserId = "bob", LinkId = "zzz",
            Version = newer.ToUnixTimeMilliseconds(), State = LinkStates.Linked, Method = "login", LinkedAt = newer, WrittenAt = newer,
        });

        var outcome = await Service().HandleAsync(OkEvent(), CancellationToken.None);

        Assert.Equal(AccountLinkOutcome.Superseded, outcome);
        Assert.Equal("bob", links.Get(provider.LineSide(LineUserId))!.Document.ServiceUserId);
        Assert.Null(links.Get(provider.UserSide(ServiceUserId)));
        Assert.Equal("superseded", Assert.Single(audits).Action);
        Assert.Equal(NonceStates.Consumed, Assert.Single(nonceReplacements).Status);
    }
}
