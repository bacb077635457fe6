using System.Text;
using Azure;
using Azure.Security.KeyVault.Secrets;
using LinkFunctions.Hosting;
using LinkFunctions.Secrets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace LinkFunctions.Tests.Secrets;

public class ChannelSecretCacheTests
{
    private const string SecretName = "line-channel-secret";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly Mock<SecretClient> client = new();
    private readonly Queue<Func<Task<Response<KeyVaultSecret>>>> answers = new();
    private int vaultCalls;

    public ChannelSecretCacheTests()
    {
        // Both overloads, whichever the source picks; each call takes the next answer, the last one repeats.
        client.Setup(c => c.GetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string name, string _, CancellationToken _) => Answer(name));
        client.Setup(c => c.GetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .Returns((string name, string _, SecretContentType? _, CancellationToken _) => Answer(name));
    }

    private int VaultCalls => Volatile.Read(ref vaultCalls);

    private static Response<KeyVaultSecret> Secret(string value) =>
        Response.FromValue(SecretModelFactory.KeyVaultSecret(new SecretProperties(SecretName), value), Mock.Of<Response>());

    private void Returns(params string[] values)
    {
        foreach (var value in values)
        {
            answers.Enqueue(() => Task.FromResult(Secret(value)));
        }
    }

    private Task<Response<KeyVaultSecret>> Answer(string name)
    {
        Assert.Equal(SecretName, name);
        Interlocked.Increment(ref vaultCalls);
        lock (answers)
        {
            return (answers.Count > 1 ? answers.Dequeue() : answers.Peek())();
        }
    }

    private ChannelSecretCache KeyVaultCache() => new(
        new KeyVaultChannelSecretSource(client.Object, Options.Create(new LineOptions { ChannelSecretName = SecretName })),
        time, NullLogger<ChannelSecretCache>.Instance);

    [Fact]
    public async Task GetAsync_Twice_ReturnsTheVaultValueFromOneVaultCall()
    {
        Returns("value");
        var cache = KeyVaultCache();

        var first = await cache.GetAsync(CancellationToken.None);
        var second = await cache.GetAsync(CancellationToken.None);

        Assert.Equal(Encoding.UTF8.GetBytes("value"), first);
        Assert.Equal(Encoding.UTF8.GetBytes("value"), second);
        Assert.Equal(1, VaultCalls);
    }

    [Fact]
    public async Task GetAsync_JustUnderFiveMinutes_StaysCached()
    {
        Returns("v1", "v2");
        var cache = KeyVaultCache();
        await cache.GetAsync(CancellationToken.None);
        time.Advance(ChannelSecretCache.CacheFor - TimeSpan.FromSeconds(1));

        var secret = await cache.GetAsync(CancellationToken.None);

        Assert.Equal(Encoding.UTF8.GetBytes("v1"), secret);
        Assert.Equal(1, VaultCalls);
    }

    [Fact]
    public async Task GetAsync_AfterFiveMinutes_RefetchesFromTheVault()
    {
        Returns("v1", "v2");
        var cache = KeyVaultCache();
        await cache.GetAsync(CancellationToken.None);
        time.Advance(ChannelSecretCache.CacheFor);

        var secret = await cache.GetAsync(CancellationToken.None);

        Assert.Equal(Encoding.UTF8.GetBytes("v2"), secret);
        Assert.Equal(2, VaultCalls);
    }

    [Fact]
    public async Task GetAsync_ConcurrentColdStart_CallsTheVaultOnce()
    {
        var pending = new TaskCompletionSource<Response<KeyVaultSecret>>(TaskCreationOptions.RunContinuationsAsynchronously);
        answers.Enqueue(() => pending.Task);
        var cache = KeyVaultCache();

        var readers = Enumerable.Range(0, 10).Select(_ => cache.GetAsync(CancellationToken.None).AsTask()).ToArray();
        pending.SetResult(Secret("value"));
        var secrets = await Task.WhenAll(readers);

        Assert.All(secrets, s => Assert.Equal(Encoding.UTF8.GetBytes("value"), s));
        Assert.Equal(1, VaultCalls);
    }

    [Fact]
    public async Task TryRefetchAsync_AfterAMismatch_ReturnsTheNewValueAndCachesIt()
    {
        Returns("old", "new");
        var cache = KeyVaultCache();
        await cache.GetAsync(CancellationToken.None);

        var fresh = await cache.TryRefetchAsync(CancellationToken.None);
        var cached = await cache.GetAsync(CancellationToken.None);

        Assert.Equal(Encoding.UTF8.GetBytes("new"), fresh);
        Assert.Equal(Encoding.UTF8.GetBytes("new"), cached);
        Assert.Equal(2, VaultCalls);
    }

    [Fact]
    public async Task TryRefetchAsync_WithinSixtySeconds_ReturnsNullWithoutAVaultCall()
    {
        Returns("v1", "v2", "v3");
        var cache = KeyVaultCache();
        await cache.TryRefetchAsync(CancellationToken.None);
        time.Advance(ChannelSecretCache.MinRefetchInterval - TimeSpan.FromMilliseconds(1));

        var again = await cache.TryRefetchAsync(CancellationToken.None);

        Assert.Null(again);
        Assert.Equal(1, VaultCalls);
    }

    [Fact]
    public async Task TryRefetchAsync_AfterSixtySeconds_CallsTheVaultAgain()
    {
        Returns("v1", "v2");
        var cache = KeyVaultCache();
        await cache.TryRefetchAsync(CancellationToken.None);
        time.Advance(ChannelSecretCache.MinRefetchInterval);

        var again = await cache.TryRefetchAsync(CancellationToken.None);

        Assert.Equal(Encoding.UTF8.GetBytes("v2"), again);
        Assert.Equal(2, VaultCalls);
    }

    [Fact]
    public async Task TryRefetchAsync_WhileAnotherRefetchIsInFlight_ReturnsNullImmediately()
    {
        var pending = new TaskCompletionSource<Response<KeyVaultSecret>>(TaskCreationOptions.RunContinuationsAsynchronously);
        answers.Enqueue(() => pending.Task);
        var cache = KeyVaultCache();

        var first = cache.TryRefetchAsync(CancellationToken.None).AsTask();
        var second = cache.TryRefetchAsync(CancellationToken.None);
        Assert.True(second.IsCompleted);
        var secondValue = await second;
        pending.SetResult(Secret("fresh"));
        var firstValue = await first;

        Assert.Null(secondValue);
        Assert.Equal(Encoding.UTF8.GetBytes("fresh"), firstValue);
        Assert.Equal(1, VaultCalls);
    }

    [Fact]
    public async Task TryRefetchAsync_ManyConcurrentCallers_CallTheVaultOnce()
    {
        Returns("old", "new");
        var cache = KeyVaultCache();
        await cache.GetAsync(CancellationToken.None);

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => cache.TryRefetchAsync(CancellationToken.None).AsTask())));

        Assert.Single(results, r => r is not null);
        Assert.Equal(2, VaultCalls);
    }

    [Fact]
    public async Task TryRefetchAsync_VaultFails_StillRateLimitsTheNextAttempt()
    {
        answers.Enqueue(() => Task.FromException<Response<KeyVaultSecret>>(new RequestFailedException(503, "unavailable")));
        answers.Enqueue(() => Task.FromResult(Secret("v")));
        var cache = KeyVaultCache();

        await Assert.ThrowsAsync<RequestFailedException>(() => cache.TryRefetchAsync(CancellationToken.None).AsTask());
        var again = await cache.TryRefetchAsync(CancellationToken.None);

        Assert.Null(again);
        Assert.Equal(1, VaultCalls);
    }

    [Fact]
    public async Task TryRefetchAsync_ConfigurationSource_NeverRefetches()
    {
        var cache = new ChannelSecretCache(
            new ConfigurationChannelSecretSource(Options.Create(new LineOptions { ChannelSecret = "local-secret" })),
            time, NullLogger<ChannelSecretCache>.Instance);
        var secret = await cache.GetAsync(CancellationToken.None);

        var refetched = await cache.TryRefetchAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromHours(1));
        var later = await cache.TryRefetchAsync(CancellationToken.None);

        Assert.Equal(Encoding.UTF8.GetBytes("local-secret"), secret);
        Assert.Null(refetched);
        Assert.Null(later);
    }

    [Fact]
    public async Task TryRefetchAsync_SourceThatCannotRefetch_DoesNotFetch()
    {
        var source = new FakeChannelSecretSource("s") { CanRefetch = false };
        var cache = new ChannelSecretCache(source, time, NullLogger<ChannelSecretCache>.Instance);

        var refetched = await cache.TryRefetchAsync(CancellationToken.None);

        Assert.Null(refetched);
        Assert.Equal(0, source.FetchCount);
    }
}
