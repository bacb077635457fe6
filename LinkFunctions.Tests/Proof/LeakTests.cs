using LinkFunctions.Tests.EndToEnd;
using LinkFunctions.Tests.TestSupport;
using Microsoft.ApplicationInsights.DataContracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// Every end-to-end flow in one app, with every log category (framework included) captured at Trace and Application
/// Insights on with its channel captured: no secret, token, link token, nonce, state, code, ID token, PKCE verifier or
/// raw user ID the run produced may appear in a log line, a telemetry item or an error answer's body.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class LeakTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    private readonly CapturingLoggerProvider logs = new();
    private readonly CapturingTelemetryChannel telemetry = new();
    private readonly FaultInjectionHandler faults = new();
    private readonly LeakRecord record = new();

    protected override void ConfigureSettings(Dictionary<string, string?> settings)
    {
        LineLoginFlow.Settings(settings);
        settings["Liff:ChannelId"] = LiffIdTokens.LiffChannelId;
        settings["Linking:UnfollowPolicy"] = "unlink";
        settings["Linking:NotifyReplaced"] = "true";
        settings["Linking:NotifyUrl"] = LeakFlows.NotifyUrl;
        settings["Linking:NotifySecret"] = record.Secret("notification secret", "leak-notify-secret-" + Guid.NewGuid().ToString("N"));
        settings["APPLICATIONINSIGHTS_CONNECTION_STRING"] = CapturingTelemetryChannel.ConnectionString;
    }

    protected override void ConfigureServices(IServiceCollection services)
    {
        telemetry.AddAppTelemetryTo(services);
        faults.InstallIn(services, Cosmos.ConnectionString);

        // Last, so that it lowers the app's own category filters (HttpClient, ASP.NET Core) to Trace as well.
        logs.AddTo(services);
    }

    [Fact]
    public async Task EveryFlow_LogsTelemetryAndErrorBodies_HoldNoSecretTokenOrRawId()
    {
        var flows = new LeakFlows(App, Line, record, faults);

        await flows.BackendAsync();
        await flows.MessagingApiAsync();
        await flows.LineLoginAsync();
        await flows.LiffAsync();
        await flows.WebhookFailuresAsync();
        await flows.LifecycleAsync();

        AssertTheCaptureSawTheFlows();
        LeakScan.AssertAbsent(logs.Entries.Select(entry => $"log [{entry.Category} {entry.Level}] {entry.Text}"), record.Secrets);
        LeakScan.AssertAbsent(telemetry.Serialized().Select(item => "telemetry " + item), record.Secrets);
        LeakScan.AssertAbsent(record.ErrorBodies.Select(body => "error body " + body), record.Secrets);
    }

    /// <summary>A clean scan means something only if the capture held the flows' own lines, the framework's Trace and Debug ones, and the dependency calls.</summary>
    private void AssertTheCaptureSawTheFlows()
    {
        var entries = logs.Entries;
        Assert.Contains(entries, e => e.Text.StartsWith("accountLink for service user", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Category.StartsWith("LinkFunctions.Login", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Category.StartsWith("LinkFunctions.Liff", StringComparison.Ordinal));
        Assert.Contains(entries, e => !e.Category.StartsWith("LinkFunctions", StringComparison.Ordinal) && e.Level <= LogLevel.Debug);
        Assert.True(record.ErrorBodies.Count >= 10, $"only {record.ErrorBodies.Count} error answers");
        var dependencies = telemetry.Items.OfType<DependencyTelemetry>().ToList();
        Assert.Contains(dependencies, d => d.Data.Contains("/oauth2/v2.1/token", StringComparison.Ordinal));
        Assert.Contains(dependencies, d => d.Data.Contains("/v2/bot/message/push", StringComparison.Ordinal));
        Assert.Contains(telemetry.Items.OfType<TraceTelemetry>(), t => t.SeverityLevel == SeverityLevel.Verbose);
    }
}
