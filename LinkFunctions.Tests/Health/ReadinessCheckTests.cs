using System.Text.Json;
using LinkFunctions.Health;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LinkFunctions.Tests.Health;

public class ReadinessCheckTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private int runs;

    private DependencyProbe Passing(string name) => new(name, _ =>
    {
        Interlocked.Increment(ref runs);
        return Task.CompletedTask;
    });

    private static DependencyProbe Failing(string name, string message) => new(name, _ => throw new InvalidOperationException(message));

    private ReadinessCheck Check(params DependencyProbe[] probes) => new(probes, time, NullLogger<ReadinessCheck>.Instance);

    [Fact]
    public async Task CheckAsync_EveryProbePasses_ReadyWithEachDependencyOk()
    {
        var report = await Check(Passing("cosmos"), Passing("channelSecret")).CheckAsync(CancellationToken.None);

        Assert.True(report.Ready);
        Assert.Equal("ready", report.Status);
        Assert.Equal(new Dictionary<string, string> { ["cosmos"] = "ok", ["channelSecret"] = "ok" }, report.Dependencies);
    }

    [Fact]
    public async Task CheckAsync_OneProbeFails_NotReadyNamingItWithoutTheErrorMessage()
    {
        var report = await Check(Passing("cosmos"), Failing("channelToken", "client_secret=8c570fa6dd201bb328f1c1eac23a96d8")).CheckAsync(CancellationToken.None);

        Assert.False(report.Ready);
        Assert.Equal("failing", report.Dependencies["channelToken"]);
        Assert.Equal("ok", report.Dependencies["cosmos"]);
        var json = JsonSerializer.Serialize(report, HealthJsonContext.Default.ReadinessReport);
        Assert.DoesNotContain("8c570fa6", json, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_WithinThirtySeconds_AnswersFromTheCacheThenProbesAgain()
    {
        var check = Check(Passing("cosmos"));
        await check.CheckAsync(CancellationToken.None);
        time.Advance(ReadinessCheck.CacheFor - TimeSpan.FromSeconds(1));
        await check.CheckAsync(CancellationToken.None);
        var withinCache = runs;

        time.Advance(TimeSpan.FromSeconds(1));
        await check.CheckAsync(CancellationToken.None);

        Assert.Equal(1, withinCache);
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task CheckAsync_ConcurrentCallers_RunOneRoundOfProbes()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var check = Check(new DependencyProbe("cosmos", async _ =>
        {
            Interlocked.Increment(ref runs);
            await release.Task;
        }));

        var callers = Enumerable.Range(0, 10).Select(_ => check.CheckAsync(CancellationToken.None)).ToArray();
        release.SetResult();
        var reports = await Task.WhenAll(callers);

        Assert.All(reports, r => Assert.True(r.Ready));
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task CheckAsync_ProbeNeverAnswers_FailingAfterTheProbeTimeout()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var check = Check(Passing("cosmos"), new DependencyProbe("channelSecret", async _ =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
        }));

        var checking = check.CheckAsync(CancellationToken.None);
        await started.Task;
        time.Advance(ReadinessCheck.ProbeTimeout);
        var report = await checking;

        Assert.Equal("failing", report.Dependencies["channelSecret"]);
        Assert.Equal("ok", report.Dependencies["cosmos"]);
    }
}
