using LinkFunctions.Health;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Hosting;

/// <summary>
/// At start-up, one round of readiness probes: it fetches the channel secret, issues a channel token and opens the
/// Cosmos client, so the first webhook does not pay for them inside LINE's 2 s. A dependency that is down is
/// logged and never stops the start: requests retry through the same shared fetches, and a held secret is served
/// however long the vault stays down. The wait is bounded by the probes' own timeout.
/// </summary>
public sealed partial class DependencyWarmUp(ReadinessCheck readiness, ILogger<DependencyWarmUp> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
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
            // Start-up cancelled, or something no probe caught: the app still starts.
            LogFailed(logger, SafeError.Describe(ex));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up done: channel secret held, channel token issued, Cosmos reachable.")]
    private static partial void LogWarm(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warm-up incomplete, starting anyway; failing: {Dependencies}.")]
    private static partial void LogNotWarm(ILogger logger, string dependencies);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warm-up did not finish, starting anyway: {Detail}.")]
    private static partial void LogFailed(ILogger logger, string detail);
}
