using System.Threading.Channels;
using LinkFunctions.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Notifications;

/// <summary>
/// The immediate attempt after a change: the request only drops the user's partition on a bounded queue (never
/// waits, never fails), and this service drains it in the background under its own budget. A full queue or a
/// stopped instance loses nothing: the entries are in the outbox and the timer delivers them within a minute.
/// Change feed is not used: the local Cosmos server has none, and the timer is needed for retries anyway.
/// </summary>
public sealed partial class BackgroundDeliveryTrigger(OutboxDrainer drainer, ILogger<BackgroundDeliveryTrigger> logger)
    : BackgroundService, IDeliveryTrigger
{
    private readonly Channel<string> queue = Channel.CreateBounded<string>(
        new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Trigger(string partition) => queue.Writer.TryWrite(partition);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var partition in queue.Reader.ReadAllAsync(stoppingToken))
        {
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            budget.CancelAfter(NotificationPolicy.ImmediateBudget);
            try
            {
                await drainer.DrainUserAsync(partition, budget.Token);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, SafeError.Describe(ex));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Immediate notification delivery failed ({Error}); the timer will deliver it.")]
    private static partial void LogFailed(ILogger logger, string error);
}
