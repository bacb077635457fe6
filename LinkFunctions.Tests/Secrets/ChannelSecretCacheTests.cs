using System.Text;
using Azure;
using Azure.Security.KeyVault.Secrets;
using LinkFunctions.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
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
            .Returns((string name, string _, CancellationToken token) => Answer(name, token));
        client.Setup(c => c.GetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .Returns((string name, string _, SecretContentType? _, CancellationToken token) => Answer(name, token));
    }

    private readonly List<CancellationToken> fetchTokens = [];

    private int VaultCalls => Volatile.Read(ref vaultCalls);

    private CancellationToken FetchToken
    {
        get
        {
            lock (answers)
            {
                return Assert.Single(fetchTokens);
            }
        }
    }

    /// <summary>The fetch runs on its own task: give it real time to reach the vault.</summary>
    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    private TaskCompletionSource<Response<KeyVaultSecret>> Pending()
    {
        var pending = new TaskCompletionSource<Response<KeyVaultSecret>>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (answers)
        {
            answers.Clear();
            answers.Enqueue(() => pending.Task);
        }

        return pending;
    }

    private void Fails(int status)
    {
        lock (answers)
        {
            answers.Clear();
            answers.Enqueue(() => Task.FromException<Response<KeyVaultSecret>>(new RequestFailedException(status, "vault says no")));
        }
    }

    private static Response<KeyVaultSecret> Secret(string value) =>
        Response.FromValue(SecretModelFactory.KeyVaultSecret(new SecretProperties(SecretName), value), Mock.Of<Response>());

    private void Returns(params string[] values)
    {
        lock (answers)
        {
            answers.Clear();
            foreach (var value in values)
            {
                answers.Enqueue(() => Task.FromResult(Secret(value)));
            }
        }
    }

    private Task<Response<KeyVaultSecret>> Answer(string name, CancellationToken token)
    {
        Assert.Equal(SecretName, name);
        Interlocked.Increment(ref vaultCalls);
        lock (answers)
        {
            fetchTokens.Add(token);
            var answer = (answers.Count > 1 ? answers.Dequeue() : answers.Peek())();

            // A real SecretClient gives up when its token is cancelled: so does a pending answer here.
            return answer.IsCompleted ? answer : answer.WaitAsync(token);
        }
    }

    private ChannelSecretCache KeyVaultCache(ILogger<ChannelSecretCache>? logger = null) => new(
        new KeyVaultChannelSecretSource(client.Object, SecretName),
        time, logger ?? NullLogger<ChannelSecretCache>.Instance);

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
        time.Advance(ChannelSecretCache.RefreshAfter - TimeSpan.FromSeconds(1));

        var secret = await cache.GetAsync(CancellationToken.None);

        Assert.Equal(Encoding.UTF8.GetBytes("v1"), secret);
        Assert.Equal(1, VaultCalls);
    }

    [Fact]
    public async Task GetAsync_AfterFiveMinutes_ServesTheHeldSecretAndRefreshesInTheBackground()
    {
        Returns("v1");
        var cache = KeyVaultCache();
        await cache.GetAsync(CancellationToken.None);
        var refresh = Pending();
        time.Advance(ChannelSecretCache.RefreshAfter);

        var stale = await cache.GetAsync(CancellationToken.None);
        var refreshing = cache.RefreshAsync(CancellationToken.None);
        refresh.SetResult(Secret("v2"));
        await refreshing;
        var fresh = await cache.GetAsync(CancellationToken.None);

        Assert.Equal(Encoding.UTF8.GetBytes("v1"), stale);
        Assert.Equal(Encoding.UTF8.GetBytes("v2"), fresh);
        Assert.Equal(2, VaultCalls);
    }

    [Fact]
    public async Task GetAsync_RefreshFails_ServesTheLastGoodSecretAndLogsAWarningWithoutIt()
    {
        Returns("last-good-secret");
        var logger = new FakeLogger<ChannelSecretCache>();
        var cache = KeyVaultCache(logger);
        await cache.GetAsync(CancellationToken.None);
        Fails(503);
        time.Advance(ChannelSecretCache.RefreshAfter);

        var duringOutage = await cache.GetAsync(CancellationToken.None);
        await Assert.ThrowsAsync<RequestFailedException>(() => cache.RefreshAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromHours(2));
        var hoursLater = await cache.GetAsync(CancellationToken.None);

        Assert.Equal(Encoding.UTF8.GetBytes("last-good-secret"), duringOutage);
        Assert.Equal(Encoding.UTF8.GetBytes("last-good-secret"), hoursLater);
        var warning = logger.Collector.GetSnapshot().First(r => r.Level == LogLevel.Warning);
        Assert.Contains("503", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("last-good-secret", warning.Message, StringComparison.Ordinal);
        Assert.All(logger.Collector.GetSnapshot(), r => Assert.True(r.Level <= LogLevel.Warning));
    }

    [Fact]
    public async Task GetAsync_RefreshKeepsFailing_TriesTheVaultAtMostOncePerRetryInterval()
    {
        Returns("v1");
        var cache = KeyVaultCache();
        await cache.GetAsync(CancellationToken.None);
        Fails(503);
        time.Advance(ChannelSecretCache.RefreshAfter);
        await Assert.ThrowsAsync<RequestFailedException>(() => cache.RefreshAsync(CancellationToken.None));

        for (var i = 0; i < 20; i++)
        {
            await cache.GetAsync(CancellationToken.None);
        }

        var withinInterval = VaultCalls;
        time.Advance(ChannelSecretCache.RetryAfterFailure);
        await cache.GetAsync(CancellationToken.None);
        await WaitUntil(() => VaultCalls == 3);

        Assert.Equal(2, withinInterval);
    }

    [Fact]
    public async Task GetAsync_VaultSlowerThanTheCallersBudget_FetchStillCompletesAndIsServedNext()
    {
        var slow = Pending();
        var cache = KeyVaultCache();
        using var budget = new CancellationTokenSource();

        var first = cache.GetAsync(budget.Token).AsTask();
        await WaitUntil(() => VaultCalls == 1);
        await budget.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        slow.SetResult(Secret("slow-value"));
        await cache.RefreshAsync(CancellationToken.None);
        var next = await cache.GetAsync(CancellationToken.None);

        Assert.Equal(Encoding.UTF8.GetBytes("slow-value"), next);
        Assert.Equal(1, VaultCalls);
        Assert.False(FetchToken.IsCancellationRequested);
    }

    [Fact]
    public async Task GetAsync_OneWaiterGivesUp_TheOthersGetTheSharedFetch()
    {
        var pending = Pending();
        var cache = KeyVaultCache();
        using var impatient = new CancellationTokenSource();

        var gaveUp = cache.GetAsync(impatient.Token).AsTask();
        var waiting = Enumerable.Range(0, 5).Select(_ => cache.GetAsync(CancellationToken.None).AsTask()).ToArray();
        await impatient.CancelAsync();
        pending.SetResult(Secret("shared"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);
        Assert.All(await Task.WhenAll(waiting), s => Assert.Equal(Encoding.UTF8.GetBytes("shared"), s));
        Assert.Equal(1, VaultCalls);
    }

    [Fact]
    public async Task GetAsync_ColdAndVaultDown_ThrowsAndWaitsTheRetryIntervalBeforeTheNextVaultCall()
    {
        Fails(403);
        var cache = KeyVaultCache();

        await Assert.ThrowsAsync<RequestFailedException>(() => cache.GetAsync(CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<ChannelSecretUnavailableException>(() => cache.GetAsync(CancellationToken.None).AsTask());
        var withinInterval = VaultCalls;
        var heldDuringOutage = cache.HasSecret;
        Returns("v");
        time.Advance(ChannelSecretCache.RetryAfterFailure);
        var recovered = await cache.GetAsync(CancellationToken.None);

        Assert.Equal(1, withinInterval);
        Assert.False(heldDuringOutage);
        Assert.Equal(Encoding.UTF8.GetBytes("v"), recovered);
    }

    [Fact]
    public async Task GetAsync_VaultNeverAnswers_TheFetchTimesOutAsADependencyFailure()
    {
        Pending();
        var cache = KeyVaultCache();
        var waiting = cache.GetAsync(CancellationToken.None).AsTask();
        await WaitUntil(() => VaultCalls == 1);

        time.Advance(ChannelSecretCache.FetchTimeout);

        await Assert.ThrowsAsync<TimeoutException>(() => waiting);
        Assert.True(FetchToken.IsCancellationRequested);
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
            new ConfigurationChannelSecretSource("local-secret", "Line__ChannelSecret"),
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
