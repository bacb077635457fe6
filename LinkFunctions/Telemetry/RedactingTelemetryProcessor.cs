using Microsoft.ApplicationInsights.Channel;
using Microsoft.ApplicationInsights.DataContracts;
using Microsoft.ApplicationInsights.Extensibility;

namespace LinkFunctions.Telemetry;

/// <summary>
/// The last word before an item leaves the worker: every text field of every item type goes through
/// <see cref="TelemetryRedaction"/>. The dependency collector records each outgoing call with its full URL
/// (LINE's <c>/v2/bot/user/{id}/linkToken</c>, Cosmos's <c>/docs/line:…:{id}</c>), and framework logs can carry a
/// redirect URL with a link token and nonce, so filtering by category alone would leave holes.
/// </summary>
public sealed class RedactingTelemetryProcessor(ITelemetryProcessor next) : ITelemetryProcessor
{
    public void Process(ITelemetry item)
    {
        Redact(item);
        next.Process(item);
    }

    public static void Redact(ITelemetry item)
    {
        switch (item)
        {
            case RequestTelemetry request:
                request.Url = TelemetryRedaction.Url(request.Url);
                request.Name = TelemetryRedaction.Text(request.Name);
                break;
            case DependencyTelemetry dependency:
                dependency.Name = TelemetryRedaction.Text(dependency.Name);
                dependency.Data = TelemetryRedaction.Text(dependency.Data);
                break;
            case TraceTelemetry trace:
                trace.Message = TelemetryRedaction.Text(trace.Message);
                break;
            case ExceptionTelemetry exception:
                exception.Message = TelemetryRedaction.Text(exception.Message);
                foreach (var details in exception.ExceptionDetailsInfoList)
                {
                    details.Message = TelemetryRedaction.Text(details.Message);
                }

                break;
            case EventTelemetry customEvent:
                customEvent.Name = TelemetryRedaction.Text(customEvent.Name);
                break;
        }

        item.Context.Operation.Name = TelemetryRedaction.Text(item.Context.Operation.Name);
        if (item is ISupportProperties withProperties)
        {
            foreach (var (key, value) in withProperties.Properties.ToList())
            {
                withProperties.Properties[key] = TelemetryRedaction.Text(value);
            }
        }
    }
}
