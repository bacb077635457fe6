using LinkFunctions.Storage;
using LinkFunctions.Tests.TestSupport;

namespace LinkFunctions.Tests.Storage;

[Collection(CosmosCollection.Name)]
public sealed class CosmosTransientRepositoryTests
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private readonly CosmosTransientRepository repository;

    private readonly ProviderKey provider = new("1234567890");

    public CosmosTransientRepositoryTests(CosmosFixture cosmos) => repository = new CosmosTransientRepository(cosmos.Database, time);

    [Fact]
    public async Task TryCreateMarkerAsync_SecondTime_ReturnsFalse()
    {
        var marker = new EventMarkerDocument
        {
            Id = provider.EventMarker(Guid.NewGuid().ToString()), Type = "message", ExpiresAt = DateTimeOffset.UtcNow.AddDays(2), Ttl = 3600,
        };

        Assert.True(await repository.TryCreateMarkerAsync(marker, default));
        Assert.False(await repository.TryCreateMarkerAsync(marker, default));
        await repository.DeleteMarkerAsync(marker.Id, default);
        Assert.True(await repository.TryCreateMarkerAsync(marker, default));
    }

    [Fact]
    public async Task TryCreateMarkerAsync_ExistingMarkerPastExpiresAt_TakenOver()
    {
        var marker = new EventMarkerDocument
        {
            Id = provider.EventMarker(Guid.NewGuid().ToString()), Type = "follow", ExpiresAt = time.GetUtcNow().AddDays(2), Ttl = 3600,
        };
        Assert.True(await repository.TryCreateMarkerAsync(marker, default));

        time.Advance(TimeSpan.FromDays(2) + TimeSpan.FromSeconds(1));
        var renewed = marker with { ExpiresAt = time.GetUtcNow().AddDays(2) };

        Assert.True(await repository.TryCreateMarkerAsync(renewed, default));
        Assert.False(await repository.TryCreateMarkerAsync(renewed, default));
    }

    [Fact]
    public async Task SaveLinkTokenAsync_ThenRead_StoresOnlyTheHashAsId()
    {
        const string linkToken = "NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY";
        var id = provider.LinkToken(linkToken + Guid.NewGuid().ToString("N")[..6]);
        await repository.SaveLinkTokenAsync(
            new LinkTokenDocument { Id = id, LineUserId = "U" + new string('a', 32), ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(10), Ttl = 4200 }, default);

        var read = await repository.ReadLinkTokenAsync(id, default);

        Assert.Equal("U" + new string('a', 32), read?.Document.LineUserId);
        Assert.DoesNotContain(linkToken, id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplaceNonceAsync_ConcurrentConsumers_ExactlyOneWins()
    {
        var id = provider.Nonce(LinkFunctions.Linking.Nonce.Create());
        var nonce = new NonceDocument
        {
            Id = id, ServiceUserId = "customer-1", ExpectedLineUserId = "U" + new string('b', 32),
            ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(10), Status = NonceStates.Pending, Ttl = 3600,
        };
        Assert.Equal(WriteOutcome.Ok, await repository.CreateNonceAsync(nonce, default));
        var stored = await repository.ReadNonceAsync(id, default);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            repository.ReplaceNonceAsync(nonce with { Status = NonceStates.Consumed, ConsumedByEventId = $"e{i}" }, stored!.ETag, default)));

        Assert.Single(outcomes, o => o == WriteOutcome.Ok);
        Assert.Equal(9, outcomes.Count(o => o == WriteOutcome.PreconditionFailed));
    }

    [Fact]
    public async Task CreateLinkClaimAsync_SecondClaimForTheSameToken_ConflictsAndKeepsTheFirst()
    {
        var id = provider.LinkClaim("NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY" + Guid.NewGuid().ToString("N")[..6]);
        var first = new LinkClaimDocument
        {
            Id = id, ServiceUserId = "alice", Nonce = LinkFunctions.Linking.Nonce.Create(),
            NonceExpiresAt = time.GetUtcNow().AddMinutes(10), ExpiresAt = time.GetUtcNow().AddMinutes(9), Ttl = 4200,
        };

        Assert.Equal(WriteOutcome.Ok, await repository.CreateLinkClaimAsync(first, default));
        Assert.Equal(WriteOutcome.Conflict, await repository.CreateLinkClaimAsync(first with { ServiceUserId = "mallory" }, default));

        var read = await repository.ReadLinkClaimAsync(id, default);
        Assert.Equal(first, read?.Document);
    }
}
