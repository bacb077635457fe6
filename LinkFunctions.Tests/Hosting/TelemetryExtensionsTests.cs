using System.Diagnostics.Metrics;
using LinkFunctions.Hosting;
using LinkFunctions.Tests.TestSupport;
using Microsoft.ApplicationInsights.DataContracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Tests.Hosting;

/// <summary>
/// What the worker sends to Application Insights, level by category: no Information line for every request (that is
/// ingestion paid per request, and the metrics count every answer), while the linking funnel and every warning stay.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class TelemetryExtensionsTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    private readonly CapturingTelemetryChannel telemetry = new();

    protected override void ConfigureServices(IServiceCollection services) => telemetry.AddAppTelemetryTo(services);

    private IEnumerable<string> Traces() => telemetry.Items.OfType<TraceTelemetry>().Select(t => t.Message);

    [Fact]
    public async Task Webhook_IgnoredEvent_NoTraceSentButTheAnswerCounted()
    {
        using var answers = new MetricCollector<double>(App.Get<IMeterFactory>(), LinkMetrics.MeterName, "linkfunctions.webhook.duration");

        var result = await new EndToEnd.LinkingFlow(App, Line).WebhookAsync(WebhookBodies.Body(WebhookBodies.TextMessage(WebhookBodies.NewLineUserId(), "hello")));

        Assert.Equal(200, HttpRequests.Status(result));
        Assert.DoesNotContain(Traces(), m => m.StartsWith("Webhook answered", StringComparison.Ordinal));
        Assert.Equal("Ok", Assert.Single(answers.GetMeasurementSnapshot()).Tags["status"]);
    }

    [Theory]
    [InlineData("LinkFunctions.Webhook.WebhookProcessor", LogLevel.Information, false)]
    [InlineData("LinkFunctions.Webhook.WebhookProcessor", LogLevel.Warning, true)]
    [InlineData("LinkFunctions.Linking.AccountLinkService", LogLevel.Information, true)]
    [InlineData("Microsoft.AspNetCore.Routing.EndpointMiddleware", LogLevel.Information, false)]
    [InlineData("Microsoft.AspNetCore.Routing.EndpointMiddleware", LogLevel.Warning, true)]
    public void ApplicationInsightsLogger_CategoryAndLevel_SentOnlyAtTheChosenLevel(string category, LogLevel level, bool sent)
    {
        var message = $"probe {Guid.NewGuid():N}";

        App.Get<ILoggerFactory>().CreateLogger(category).Log(level, message);

        Assert.Equal(sent, Traces().Contains(message));
    }
}
