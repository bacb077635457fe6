using LinkFunctions.Hosting;
using LinkFunctions.LineApi;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LinkFunctions.Tests.Linking;

/// <summary>The link-token claim rule against the local Cosmos server: the first service user keeps the token.</summary>
[Collection(CosmosCollection.Name)]
public sealed class AccountLinkRedirectServiceTests
{
    private const string LineUserId = "U4af4980629f4e5e0aa5e3c8f5b1b2c3d";

    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);

    // A provider key per test keeps the documents of one test apart from every other's.
    private readonly ProviderKey provider = new($"claims-{Guid.NewGuid():N}");
    private readonly string linkToken = $"tok{Guid.NewGuid():N}";
    private readonly CountingTransientRepository transient;
    private readonly FakeLogger<AccountLinkRedirectService> logger = new();
    private readonly AccountLinkRedirectService service;

    public AccountLinkRedirectServiceTests(CosmosFixture cosmos)
    {
        transient = new CountingTransientRepository(new CosmosTransientRepository(cosmos.Database, time));
        service = new AccountLinkRedirectService(transient, provider, Options.Create(new LineOptions { ChannelId = "1234567890" }), time, logger);
    }

    private Task IssueAsync(TimeSpan? lifetime = null) => transient.SaveLinkTokenAsync(
        new LinkTokenDocument
        {
            Id = provider.LinkToken(linkToken), LineUserId = LineUserId, ExpiresAt = time.GetUtcNow() + (lifetime ?? LinkingPolicy.LinkTokenLifetime), Ttl = 4200,
        },
        default);

    private static string NonceOf(AccountLinkRedirect redirect) => QueryHelpers.ParseQuery(redirect.RedirectUrl!.Query)["nonce"].ToString();

    [Fact]
    public async Task CreateAsync_SameUserTwice_SameNonceAndOneNonceDocument()
    {
        await IssueAsync();

        var first = await service.CreateAsync(linkToken, "alice", default);
        time.Advance(TimeSpan.FromMinutes(2));
        var second = await service.CreateAsync(linkToken, "alice", default);

        Assert.Equal(AccountLinkRedirectStatus.Ready, first.Status);
        Assert.Equal(first, second);
        Assert.Equal(1, transient.NoncesCreated);
        var nonce = await transient.ReadNonceAsync(provider.Nonce(NonceOf(first)), default);
        Assert.Equal("alice", nonce?.Document.ServiceUserId);
        Assert.Equal(LineUserId, nonce?.Document.ExpectedLineUserId);
    }

    [Fact]
    public async Task CreateAsync_AnotherUserAfterTheFirst_ClaimedAndWarnsWithHashedIdsOnly()
    {
        await IssueAsync();
        var first = await service.CreateAsync(linkToken, "alice", default);

        var second = await service.CreateAsync(linkToken, "mallory", default);

        Assert.Equal(AccountLinkRedirectStatus.Claimed, second.Status);
        Assert.Null(second.RedirectUrl);
        Assert.Equal(1, transient.NoncesCreated);
        var claim = await transient.ReadLinkClaimAsync(provider.LinkClaim(linkToken), default);
        Assert.Equal("alice", claim?.Document.ServiceUserId);
        var warning = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(LogIds.Hash("mallory"), warning.Message, StringComparison.Ordinal);
        foreach (var secret in new[] { "alice", "mallory", LineUserId, linkToken, NonceOf(first) })
        {
            Assert.DoesNotContain(secret, warning.Message, StringComparison.Ordinal);
        }

        // The first user still gets their own nonce back.
        Assert.Equal(first, await service.CreateAsync(linkToken, "alice", default));
    }

    [Fact]
    public async Task CreateAsync_TwoUsersAtOnce_ExactlyOneWinsAndTheLoserSeesTheWinnersClaim()
    {
        await IssueAsync();
        transient.HoldClaimCreates = 2;

        var results = await Task.WhenAll(
            Task.Run(() => service.CreateAsync(linkToken, "alice", default)),
            Task.Run(() => service.CreateAsync(linkToken, "mallory", default)));

        Assert.Equal(2, transient.NoncesCreated);
        Assert.Single(results, r => r.Status == AccountLinkRedirectStatus.Ready);
        Assert.Single(results, r => r.Status == AccountLinkRedirectStatus.Claimed);
        var claim = (await transient.ReadLinkClaimAsync(provider.LinkClaim(linkToken), default))!.Document;
        var winner = results.Single(r => r.Status == AccountLinkRedirectStatus.Ready);
        Assert.Equal(claim.Nonce, NonceOf(winner));
        Assert.Equal(claim.ServiceUserId, results[0].Status == AccountLinkRedirectStatus.Ready ? "alice" : "mallory");
    }

    [Fact]
    public async Task CreateAsync_SameUserTwiceAtOnce_BothGetTheWinningNonce()
    {
        await IssueAsync();
        transient.HoldClaimCreates = 2;

        var results = await Task.WhenAll(
            Task.Run(() => service.CreateAsync(linkToken, "alice", default)),
            Task.Run(() => service.CreateAsync(linkToken, "alice", default)));

        Assert.All(results, r => Assert.Equal(AccountLinkRedirectStatus.Ready, r.Status));
        Assert.Equal(results[0], results[1]);
        var claim = (await transient.ReadLinkClaimAsync(provider.LinkClaim(linkToken), default))!.Document;
        Assert.Equal(claim.Nonce, NonceOf(results[0]));
    }

    [Fact]
    public async Task CreateAsync_FirstClaim_StoresTheClaimUntilTheLinkTokenExpires()
    {
        await IssueAsync();

        var redirect = await service.CreateAsync(linkToken, "alice", default);

        var claim = (await transient.ReadLinkClaimAsync(provider.LinkClaim(linkToken), default))!.Document;
        Assert.Equal(time.GetUtcNow() + LinkingPolicy.LinkTokenLifetime, claim.ExpiresAt);
        Assert.Equal(time.GetUtcNow() + LinkingPolicy.NonceLifetime, claim.NonceExpiresAt);
        Assert.Equal(redirect.ExpiresAt, claim.NonceExpiresAt);
        Assert.True(claim.Ttl >= LinkingPolicy.LinkTokenLifetime.TotalSeconds);
        Assert.DoesNotContain(linkToken, claim.Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_SameUserAfterTheClaimedNonceExpired_UnknownLinkTokenRatherThanADeadNonce()
    {
        // Only reachable if a link token ever outlives the nonce lifetime: the user must start again.
        await IssueAsync(LinkingPolicy.NonceLifetime + TimeSpan.FromMinutes(5));
        await service.CreateAsync(linkToken, "alice", default);
        time.Advance(LinkingPolicy.NonceLifetime);

        var again = await service.CreateAsync(linkToken, "alice", default);

        Assert.Equal(AccountLinkRedirectStatus.UnknownLinkToken, again.Status);
    }

    [Fact]
    public async Task CreateAsync_ExpiredLinkToken_UnknownWithoutClaiming()
    {
        await IssueAsync();
        time.Advance(LinkingPolicy.LinkTokenLifetime);

        var redirect = await service.CreateAsync(linkToken, "alice", default);

        Assert.Equal(AccountLinkRedirectStatus.UnknownLinkToken, redirect.Status);
        Assert.Null(await transient.ReadLinkClaimAsync(provider.LinkClaim(linkToken), default));
        Assert.Equal(0, transient.NoncesCreated);
    }

    /// <summary>
    /// The real repository, counting nonce creates, and able to hold claim creates until several requests have
    /// reached them, so that a race between two claims happens on every run instead of by luck.
    /// </summary>
    private sealed class CountingTransientRepository(ITransientRepository inner) : ITransientRepository
    {
        private readonly TaskCompletionSource allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int noncesCreated;
        private int arrived;

        public int NoncesCreated => Volatile.Read(ref noncesCreated);

        public int HoldClaimCreates { get; set; }

        public Task<Stored<NonceDocument>?> ReadNonceAsync(string id, CancellationToken cancellationToken) => inner.ReadNonceAsync(id, cancellationToken);

        public async Task<WriteOutcome> CreateNonceAsync(NonceDocument nonce, CancellationToken cancellationToken)
        {
            var outcome = await inner.CreateNonceAsync(nonce, cancellationToken);
            if (outcome == WriteOutcome.Ok)
            {
                Interlocked.Increment(ref noncesCreated);
            }

            return outcome;
        }

        public Task<WriteOutcome> ReplaceNonceAsync(NonceDocument nonce, string ifMatch, CancellationToken cancellationToken) =>
            inner.ReplaceNonceAsync(nonce, ifMatch, cancellationToken);

        public Task<Stored<LinkTokenDocument>?> ReadLinkTokenAsync(string id, CancellationToken cancellationToken) => inner.ReadLinkTokenAsync(id, cancellationToken);

        public Task SaveLinkTokenAsync(LinkTokenDocument linkToken, CancellationToken cancellationToken) => inner.SaveLinkTokenAsync(linkToken, cancellationToken);

        public Task<Stored<LinkClaimDocument>?> ReadLinkClaimAsync(string id, CancellationToken cancellationToken) => inner.ReadLinkClaimAsync(id, cancellationToken);

        public async Task<WriteOutcome> CreateLinkClaimAsync(LinkClaimDocument claim, CancellationToken cancellationToken)
        {
            if (HoldClaimCreates > 0)
            {
                if (Interlocked.Increment(ref arrived) >= HoldClaimCreates)
                {
                    allArrived.TrySetResult();
                }

                await allArrived.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }

            return await inner.CreateLinkClaimAsync(claim, cancellationToken);
        }

        public Task<bool> TryCreateMarkerAsync(EventMarkerDocument marker, CancellationToken cancellationToken) => inner.TryCreateMarkerAsync(marker, cancellationToken);

        public Task DeleteMarkerAsync(string id, CancellationToken cancellationToken) => inner.DeleteMarkerAsync(id, cancellationToken);
    }
}
