using LinkFunctions.Hosting;
using LinkFunctions.Secrets;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Health;

/// <summary>
/// Runs every <see cref="DependencyProbe"/> at once, each under its own timeout, and keeps the report for
/// <see cref="CacheFor"/>: a monitor polling every few seconds from several regions costs one round of probes per
/// half minute per instance. One round runs at a time, and a caller that gives up does not cancel it.
/// </summary>
public sealed partial class ReadinessCheck
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly IReadOnlyList<DependencyProbe> probes;
    private readonly TimeProvider time;
    private readonly ILogger<ReadinessCheck> logger;
    private readonly SharedFetch<ReadinessReport> round;
    private volatile CachedReport? last;

    public ReadinessCheck(IEnumerable<DependencyProbe> probes, TimeProvider time, ILogger<ReadinessCheck> logger)
    {
        this.probes = [.. probes];
        this.time = time;
        this.logger = logger;
        round = new SharedFetch<ReadinessReport>(ProbeAllAsync, ProbeTimeout * 2, time);
    }

    private sealed record CachedReport(ReadinessReport Report, DateTimeOffset At);

    public async Task<ReadinessReport> CheckAsync(CancellationToken cancellationToken)
    {
        var cached = last;
        if (cached is not null && time.GetUtcNow() - cached.At < CacheFor)
        {
            return cached.Report;
        }

        return await round.StartOrJoin().WaitAsync(cancellationToken);
    }

    private async Task<ReadinessReport> ProbeAllAsync(CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(probes.Select(probe => ProbeAsync(probe, cancellationToken)));
        var report = ReadinessReport.From(results);
        last = new CachedReport(report, time.GetUtcNow());
        return report;
    }

    private async Task<(string Name, bool Ok)> ProbeAsync(DependencyProbe probe, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(ProbeTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await probe.RunAsync(linked.Token).WaitAsync(linked.Token);
            return (probe.Name, true);
        }
        catch (Exception ex)
        {
            LogProbeFailed(logger, probe.Name, SafeError.Describe(ex));
            return (probe.Name, false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Readiness probe {Dependency} failed: {Detail}.")]
    private static partial void LogProbeFailed(ILogger logger, string dependency, string detail);
}
