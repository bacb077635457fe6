using LinkFunctions.Tests.TestSupport;
using Microsoft.ApplicationInsights.DataContracts;
using Microsoft.Extensions.DependencyInjection;

namespace LinkFunctions.Tests.EndToEnd;

/// <summary>
/// The app with Application Insights on, as <c>Program.cs</c> wires it, and the transmission channel replaced by a
/// capture: a full Messaging API linking flow must leave no raw ID, token or nonce in any item the worker would send.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class TelemetryPrivacyTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    private readonly CapturingTelemetryChannel telemetry = new();
    private LinkingFlow Flow => new(App, Line);

    protected override void ConfigureSettings(Dictionary<string, string?> settings) =>
        settings["APPLICATIONINSIGHTS_CONNECTION_STRING"] = CapturingTelemetryChannel.ConnectionString;

    protected override void ConfigureServices(IServiceCollection services) => telemetry.AddAppTelemetryTo(services);

    [Fact]
    public async Task LinkingFlow_AllTelemetryItems_NoRawIdTokenOrNonce()
    {
        // A cold start (the SDK's first dependency listener, the first channel token) can spend the webhook's budget.
        await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.TextMessage(WebhookBodies.NewLineUserId(), "link")));
        var lineUserId = WebhookBodies.NewLineUserId();
        var serviceUserId = $"customer-{Guid.NewGuid():N}";

        var linkToken = await Flow.SendKeywordAsync(lineUserId);
        var nonce = await Flow.OpenLinkingUrlAsync(linkToken, serviceUserId);
        Assert.Equal(200, HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(lineUserId, nonce)))));
        Assert.Equal(serviceUserId, (await Flow.FindByLineUserAsync(lineUserId))?.ServiceUserId);
        Assert.Equal(lineUserId, (await Flow.FindByServiceUserAsync(serviceUserId))?.LineUserId);

        var secrets = LeakScan.ChannelSecrets();
        secrets["LINE user ID"] = lineUserId;
        secrets["service user ID"] = serviceUserId;
        secrets["link token"] = linkToken;
        secrets["nonce"] = nonce;
        LeakScan.AssertAbsent(telemetry.Serialized(), secrets);

        // The capture saw the calls that carry the IDs, with their shapes kept, so the clean scan is not a vacuous pass.
        var dependencies = telemetry.Items.OfType<DependencyTelemetry>().ToList();
        Assert.Contains(dependencies, d => d.Data.EndsWith("/v2/bot/user/{userId}/linkToken", StringComparison.Ordinal));
        Assert.Contains(dependencies, d => d.Data.Contains("/docs/{id}", StringComparison.Ordinal));
        Assert.Contains(telemetry.Items.OfType<TraceTelemetry>(), t => t.Message.StartsWith("accountLink for service user", StringComparison.Ordinal));
    }
}
