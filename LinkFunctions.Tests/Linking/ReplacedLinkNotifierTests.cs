using System.Net;
using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using LinkFunctions.Tests.LineApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LinkFunctions.Tests.Linking;

public sealed class ReplacedLinkNotifierTests : IDisposable
{
    private const string L1 = "U11111111111111111111111111111111";
    private const string L2 = "U22222222222222222222222222222222";
    private const string PushPath = "/v2/bot/message/push";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly ProviderKey provider = new("1234567890");
    private readonly InMemoryAuditLog audit = new();
    private readonly FakeLogger<ReplacedLinkNotifier> logger = new();
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly LineTestClients line;

    public ReplacedLinkNotifierTests() => line = new LineTestClients(time);

    private ReplacedLinkNotifier Notifier(bool notifyReplaced) => new(
        audit, line.Client, provider, time, Options.Create(new LinkingOptions { NotifyReplaced = notifyReplaced }), logger,
        new LinkMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));

    private static LinkDocument OldHalf(string line, string user) => new()
    {
        Id = $"line:1234567890:{line}", LineUserId = line, ServiceUserId = user, LinkId = "link-a", Version = 100,
        State = LinkStates.Linked, Method = "messaging-api", LinkedAt = DateTimeOffset.FromUnixTimeMilliseconds(100),
        WrittenAt = DateTimeOffset.FromUnixTimeMilliseconds(100),
    };

    private static LinkRequest By(string line, string user) => new(line, user, "link-b", 200, "line-login", DateTimeOffset.FromUnixTimeMilliseconds(200));

    private static Task<WriteOutcome> Deleted() => Task.FromResult(WriteOutcome.Ok);

    [Fact]
    public async Task ReleaseAsync_ServiceUserMovedWithNotifyOn_PushesTheOldLineUserOnceUnderOneDerivedRetryKey()
    {
        var notifier = Notifier(notifyReplaced: true);

        await notifier.ReleaseAsync(OldHalf(L1, "alice"), By(L2, "alice"), Deleted, CancellationToken.None);
        await notifier.ReleaseAsync(OldHalf(L1, "alice"), By(L2, "alice"), Deleted, CancellationToken.None);

        var pushes = line.Handler.RequestsTo(PushPath);
        Assert.Equal(2, pushes.Count);
        var key = ReplacedLinkNotifier.RetryKey("link-a", "link-b").ToString("D");
        Assert.All(pushes, p => Assert.Equal(key, p.Headers["X-Line-Retry-Key"]));
        Assert.All(pushes, p => Assert.Contains($"\"to\":\"{L1}\"", p.Body, StringComparison.Ordinal));
        Assert.All(pushes, p => Assert.Contains("no longer linked", p.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReleaseAsync_NotifyOffByDefault_DoesNotPush()
    {
        Assert.False(new LinkingOptions().NotifyReplaced);

        await Notifier(notifyReplaced: false).ReleaseAsync(OldHalf(L1, "alice"), By(L2, "alice"), Deleted, CancellationToken.None);

        Assert.Empty(line.Handler.RequestsTo(PushPath));
    }

    [Fact]
    public async Task ReleaseAsync_LineUserMovedThemselves_DoesNotPushThem()
    {
        await Notifier(notifyReplaced: true).ReleaseAsync(OldHalf(L1, "alice"), By(L1, "bob"), Deleted, CancellationToken.None);

        Assert.Empty(line.Handler.RequestsTo(PushPath));
    }

    [Fact]
    public async Task ReleaseAsync_PushFails_StillDeletesAndWarnsWithHashedIdsOnly()
    {
        line.Handler.Respond(PushPath, _ => FakeLineHandler.Json(HttpStatusCode.InternalServerError, "{}"));
        var deletes = 0;

        var outcome = await Notifier(notifyReplaced: true).ReleaseAsync(
            OldHalf(L1, "alice"), By(L2, "alice"), () => { deletes++; return Deleted(); }, CancellationToken.None);

        Assert.Equal(WriteOutcome.Ok, outcome);
        Assert.Equal(1, deletes);
        var warning = Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains(LogIds.Hash(L1), warning.Message, StringComparison.Ordinal);
        Assert.All(logger.Collector.GetSnapshot(), r => Assert.DoesNotContain(L1, r.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReleaseAsync_Repeated_WritesOneReplacedEntryInTheOldServiceUsersPartitionWithSaltedIds()
    {
        var notifier = Notifier(notifyReplaced: false);

        await notifier.ReleaseAsync(OldHalf(L1, "alice"), By(L1, "bob"), Deleted, CancellationToken.None);
        await notifier.ReleaseAsync(OldHalf(L1, "alice"), By(L1, "bob"), Deleted, CancellationToken.None);

        Assert.Equal(2, audit.Appends);
        var entry = Assert.Single(audit.Entries);
        Assert.Equal("replaced", entry.Action);
        Assert.Equal(provider.AuditPartition("alice"), entry.Partition);
        Assert.Equal("link-a", entry.LinkId);
        Assert.Equal("link-b", entry.ReplacedBy);
        Assert.Equal("line-login", entry.Method);
        Assert.Equal(ProviderKey.Sha256Hex(entry.HashSalt + L1), entry.LineUserIdHash);
        Assert.DoesNotContain(L1, entry.Id, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", entry.Id, StringComparison.Ordinal);
        Assert.DoesNotContain("bob", entry.Reason!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WriteOutcome.Ok, 1)]
    [InlineData(WriteOutcome.PreconditionFailed, 0)]
    public async Task ReleaseAsync_DeleteOutcome_CountsReplacedOnlyWhenThisCallDeleted(WriteOutcome deleted, int counted)
    {
        using var outcomes = new MetricCollector<long>(
            services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), LinkMetrics.MeterName, "linkfunctions.links.outcomes");

        await Notifier(notifyReplaced: false).ReleaseAsync(OldHalf(L1, "alice"), By(L2, "alice"), () => Task.FromResult(deleted), CancellationToken.None);

        var measurements = outcomes.GetMeasurementSnapshot();
        Assert.Equal(counted, measurements.Sum(m => m.Value));
        Assert.All(measurements, m =>
        {
            Assert.Equal("replaced", m.Tags["outcome"]);
            Assert.Equal("line-user", m.Tags["displaced"]);
            Assert.Equal("line-login", m.Tags["method"]);
        });
    }

    [Fact]
    public void RetryKey_SamePairOfLinks_IsTheSameVersion4Uuid()
    {
        var key = ReplacedLinkNotifier.RetryKey("link-a", "link-b");

        Assert.Equal(key, ReplacedLinkNotifier.RetryKey("link-a", "link-b"));
        Assert.NotEqual(key, ReplacedLinkNotifier.RetryKey("link-a", "link-c"));
        Assert.Equal(4, key.Version);
    }

    public void Dispose() => services.Dispose();
}
