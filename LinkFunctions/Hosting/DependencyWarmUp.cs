using LinkFunctions.Health;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Hosting;

/// <summary>
/// At start-up, one round of readiness probes: it fetches the channel secret, issues a channel token and opens the
/// Cosmos client, so the first webhook does not pay for them inside LINE's 2 s. The round runs in the background:
/// a host starts its hosted services one after another, and ASP.NET Core starts its server after them, so a start-up
/// that waited for the probes held every request back by up to their 5 s timeout when a dependency hung (measured:
/// docs/performance.md, "Cold start"). A request that needs a dependency meanwhile joins the same shared fetch. A
/// dependency that is down is logged and never stops the start.
/// </summary>
public sealed partial class DependencyWarmUp(ReadinessCheck readiness, ILogger<DependencyWarmUp> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource stopping = new();

    /// <summary>The round started by <see cref="StartAsync"/>; it never faults.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Completion = Task.Run(() => WarmAsync(stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task WarmAsync(CancellationToken cancellationToken)
    {
        try
        {
            var report = await readiness.CheckAsync(cancellationToken);
            if (report.Ready)
            {
                LogWarm(logger);
            }
            else
            {
                LogNotWarm(logger, string.Join(", ", report.Dependencies.Where(d => d.Value != ReadinessReport.Ok).Select(d => d.Key)));
            }
        }
        catch (Exception ex)
        {
            // Stopped before the round finished, or something no probe caught: the app runs on.
            LogFailed(logger, SafeError.Describe(ex));
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        await Completion.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => stopping.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up done: channel secret held, channel token issued, Cosmos reachable.")]
    private static partial void LogWarm(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warm-up incomplete, starting anyway; failing: {Dependencies}.")]
    private static partial void LogNotWarm(ILogger logger, string dependencies);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warm-up did not finish, starting anyway: {Detail}.")]
    private static partial void LogFailed(ILogger logger, string detail);
}
