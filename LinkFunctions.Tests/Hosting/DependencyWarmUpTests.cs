using System.Net;
using LinkFunctions.Health;
using LinkFunctions.Hosting;
using LinkFunctions.Secrets;
using LinkFunctions.Storage;
using LinkFunctions.Tests.LineApi;
using LinkFunctions.Tests.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LinkFunctions.Tests.Hosting;

public class DependencyWarmUpTests
{
    private const string UnreachableCosmos =
        "AccountEndpoint=http://127.0.0.1:1/;AccountKey=C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private readonly FakeLogger<DependencyWarmUp> logger = new();

    private DependencyWarmUp WarmUp(TimeProvider time, params DependencyProbe[] probes) =>
        new(new ReadinessCheck(probes, time, NullLogger<ReadinessCheck>.Instance), logger);

    [Fact]
    public async Task StartAsync_EveryDependencyDown_CompletesAndNamesTheFailingOnes()
    {
        var time = TimeProvider.System;
        var secrets = new ChannelSecretCache(
            new FakeChannelSecretSource { Failure = new Azure.RequestFailedException(403, "denied") }, time, NullLogger<ChannelSecretCache>.Instance);
        var handler = new FakeLineHandler();
        handler.Respond(FakeLineHandler.TokenPath, _ => FakeLineHandler.Json(HttpStatusCode.ServiceUnavailable, "{}"));
        using var cosmos = StorageExtensions.CreateClient(new CosmosOptions { ConnectionString = UnreachableCosmos });
        var warmUp = WarmUp(
            time,
            DependencyProbes.Cosmos(cosmos, "linking"),
            DependencyProbes.ChannelSecret(secrets),
            DependencyProbes.ChannelToken(new LineTestClients(time, handler).Tokens));

        await warmUp.StartAsync(CancellationToken.None);
        await warmUp.Completion;

        var warning = Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("cosmos", warning.Message, StringComparison.Ordinal);
        Assert.Contains("channelSecret", warning.Message, StringComparison.Ordinal);
        Assert.Contains("channelToken", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ADependencyNeverAnswers_ReturnsAtOnceAndLogsWhenItsProbeTimesOut()
    {
        var time = new FakeTimeProvider();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var warmUp = WarmUp(time, new DependencyProbe("cosmos", async _ =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
        }));

        // The host starts the server after its hosted services: a start that waited here would hold every request back.
        var starting = warmUp.StartAsync(CancellationToken.None);
        Assert.True(starting.IsCompletedSuccessfully);
        await started.Task;
        Assert.False(warmUp.Completion.IsCompleted);
        time.Advance(ReadinessCheck.ProbeTimeout);
        await warmUp.Completion;

        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("cosmos", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StopAsync_WhileWarming_EndsTheRoundWithoutThrowing()
    {
        var warmUp = WarmUp(new FakeTimeProvider(), new DependencyProbe("cosmos", _ => Task.Delay(Timeout.Infinite, CancellationToken.None)));
        await warmUp.StartAsync(CancellationToken.None);

        await warmUp.StopAsync(CancellationToken.None);

        Assert.True(warmUp.Completion.IsCompletedSuccessfully);
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task StartAsync_DependenciesUp_HoldsTheSecretAndAToken()
    {
        var time = new FakeTimeProvider();
        var line = new LineTestClients(time);

        var warmUp = WarmUp(time, DependencyProbes.ChannelSecret(line.Secrets), DependencyProbes.ChannelToken(line.Tokens));
        await warmUp.StartAsync(CancellationToken.None);
        await warmUp.Completion;

        Assert.True(line.Secrets.HasSecret);
        Assert.Equal(1, line.Handler.TokenRequests);
        Assert.Equal(LogLevel.Information, Assert.Single(logger.Collector.GetSnapshot()).Level);
    }
}
