using System.Diagnostics.Metrics;

namespace LinkFunctions.Hosting;

/// <summary>
/// The operational signals: webhook latency against LINE's 2 s, signature failures, secret refetches, dedupe hits,
/// the linking funnel, and LINE's answers. Exported by whatever OpenTelemetry or App Insights listener is attached.
/// </summary>
public sealed class LinkMetrics
{
    public const string MeterName = "LinkFunctions";

    private readonly Histogram<double> webhookDuration;
    private readonly Counter<long> signatureFailures;
    private readonly Counter<long> secretRefetches;
    private readonly Counter<long> eventOutcomes;
    private readonly Counter<long> lineCalls;
    private readonly Counter<long> linkOutcomes;
    private readonly Counter<long> deauthorizations;
    private readonly Counter<long> notifications;

    public LinkMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        webhookDuration = meter.CreateHistogram<double>("linkfunctions.webhook.duration", "ms", "Webhook request time; LINE wants an answer within 2000 ms.");
        signatureFailures = meter.CreateCounter<long>("linkfunctions.webhook.signature_failures", description: "Webhooks refused for a missing, malformed or wrong signature.");
        secretRefetches = meter.CreateCounter<long>("linkfunctions.secret.refetches", description: "Channel-secret refetches after a well-formed signature mismatch.");
        eventOutcomes = meter.CreateCounter<long>("linkfunctions.webhook.events", description: "Acted-on webhook events by type and outcome: the linking funnel and dedupe hits.");
        lineCalls = meter.CreateCounter<long>("linkfunctions.line.calls", description: "LINE API attempts by endpoint and HTTP status.");
        deauthorizations = meter.CreateCounter<long>("linkfunctions.line.deauthorize", description: "LINE Login grants withdrawn on unlink or erasure, by outcome (deauthorized, invalid_token, failed).");
        notifications = meter.CreateCounter<long>("linkfunctions.notifications", description: "Link-change notification attempts by type and outcome (delivered, retry, deadletter, discarded).");
        linkOutcomes = meter.CreateCounter<long>("linkfunctions.links.outcomes", description: "Link writes by linking method and outcome; \"replaced\" counts links a relink displaced.");
    }

    public void WebhookAnswered(string status, double elapsedMs) => webhookDuration.Record(elapsedMs, new KeyValuePair<string, object?>("status", status));

    public void SignatureFailed(string reason) => signatureFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void SecretRefetched() => secretRefetches.Add(1);

    public void EventHandled(string eventType, string outcome) =>
        eventOutcomes.Add(1, new KeyValuePair<string, object?>("type", eventType), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>A relink released the other half of an earlier link; <paramref name="displaced"/> says which party lost it.</summary>
    public void LinkReplaced(string method, string displaced) =>
        linkOutcomes.Add(
            1,
            new KeyValuePair<string, object?>("method", method),
            new KeyValuePair<string, object?>("outcome", "replaced"),
            new KeyValuePair<string, object?>("displaced", displaced));

    /// <summary>A link ended by unlink; <paramref name="cause"/> says who asked (service, postback, keyword, unfollow).</summary>
    public void LinkUnlinked(string method, string cause) =>
        linkOutcomes.Add(
            1,
            new KeyValuePair<string, object?>("method", method),
            new KeyValuePair<string, object?>("outcome", "unlinked"),
            new KeyValuePair<string, object?>("cause", cause));

    public void GrantDeauthorized(string outcome) => deauthorizations.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
    /// <summary>One delivery attempt settled, or an entry whose change never committed dropped (<c>discarded</c>).</summary>
    public void NotificationSettled(string type, string outcome) =>
        notifications.Add(1, new KeyValuePair<string, object?>("type", type), new KeyValuePair<string, object?>("outcome", outcome));

    public void LineCalled(string endpoint, int status) =>
        lineCalls.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("status", status));
}
