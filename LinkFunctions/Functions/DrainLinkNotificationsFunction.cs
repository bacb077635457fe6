using LinkFunctions.Notifications;
using Microsoft.Azure.Functions.Worker;

namespace LinkFunctions.Functions;

/// <summary>
/// Every minute: delivers what the immediate attempts did not (receiver down, instance gone) and the retries that
/// are due. The host runs a timer function on one instance at a time; immediate attempts elsewhere meet it only
/// through the per-entry claims.
/// </summary>
public sealed class DrainLinkNotificationsFunction(OutboxDrainer drainer)
{
    public const string Schedule = "0 */1 * * * *";

    [Function("DrainLinkNotifications")]
    public Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        _ = timer;
        return drainer.DrainAsync(cancellationToken);
    }
}
