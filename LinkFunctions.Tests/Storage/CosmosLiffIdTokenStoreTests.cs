using LinkFunctions.Storage;
using LinkFunctions.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace LinkFunctions.Tests.Storage;

[Collection(CosmosCollection.Name)]
public sealed class CosmosLiffIdTokenStoreTests(CosmosFixture cosmos)
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);

    private CosmosLiffIdTokenStore Store() => new(cosmos.Database, new ProviderKey("1234567890"), time);

    [Fact]
    public async Task TryMarkUsedAsync_SecondTime_ReturnsFalseUntilForgotten()
    {
        var store = Store();
        var key = Guid.NewGuid().ToString("N");
        var expiresAt = time.GetUtcNow().AddMinutes(50);

        Assert.True(await store.TryMarkUsedAsync(key, expiresAt, default));
        Assert.False(await store.TryMarkUsedAsync(key, expiresAt, default));
        await store.ForgetAsync(key, default);
        Assert.True(await store.TryMarkUsedAsync(key, expiresAt, default));
    }

    [Fact]
    public async Task TryMarkUsedAsync_StoresExpiryAndACleanupTtlBeyondIt()
    {
        var store = Store();
        var key = Guid.NewGuid().ToString("N");
        var expiresAt = time.GetUtcNow().AddMinutes(50);

        await store.TryMarkUsedAsync(key, expiresAt, default);

        var stored = await cosmos.Database.Transient.ReadAsync(store.Id(key), store.Id(key), LiffJsonContext.Default.LiffIdTokenDocument, default);
        Assert.NotNull(stored);
        Assert.Equal($"liffid:1234567890:{key}", stored.Document.Id);
        Assert.Equal(expiresAt, stored.Document.ExpiresAt);
        Assert.True(stored.Document.Ttl >= TimeSpan.FromMinutes(50).TotalSeconds);
    }
}
