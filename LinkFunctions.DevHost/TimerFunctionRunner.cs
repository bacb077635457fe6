using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NCrontab;

namespace LinkFunctions.DevHost;

/// <summary>
/// Runs the timer functions on their schedules, as the host would (without its storage lock: the dev host is one
/// process). Without it the outbox would only drain through the immediate attempts, and retries would never run.
/// </summary>
public sealed partial class TimerFunctionRunner(IReadOnlyList<TimerFunction> timers, IServiceProvider services, TimeProvider time, ILogger<TimerFunctionRunner> logger)
    : BackgroundService
{
    public IReadOnlyList<TimerFunction> Timers => timers;

    /// <summary>One invocation, as the host makes it: a fresh function instance, a <see cref="TimerInfo"/>, the stop token.</summary>
    public async Task InvokeAsync(TimerFunction timer, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var target = ActivatorUtilities.CreateInstance(scope.ServiceProvider, timer.EntryPoint.DeclaringType!);
        var arguments = timer.EntryPoint.GetParameters()
            .Select(p => p.ParameterType == typeof(TimerInfo) ? new TimerInfo() : p.ParameterType == typeof(CancellationToken) ? (object)cancellationToken : null)
            .ToArray();
        if (timer.EntryPoint.Invoke(target, arguments) is Task task)
        {
            await task;
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(timers.Select(timer => RunAsync(timer, stoppingToken)));

    private async Task RunAsync(TimerFunction timer, CancellationToken stoppingToken)
    {
        var schedule = CrontabSchedule.Parse(timer.Schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var delay = schedule.GetNextOccurrence(now) - now;
            try
            {
                await Task.Delay(delay, time, stoppingToken);
                await InvokeAsync(timer, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The host logs a failed invocation and keeps the schedule; so does the dev host.
                LogFailed(logger, timer.Name, ex.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer function {Name} failed: {Error}.")]
    private static partial void LogFailed(ILogger logger, string name, string error);
}
