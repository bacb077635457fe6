using System.Collections.Concurrent;
using Microsoft.ApplicationInsights.Channel;
using LinkFunctions.Hosting;
using Microsoft.ApplicationInsights.WorkerService;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using AiJson = Microsoft.ApplicationInsights.Extensibility.Implementation.JsonSerializer;

namespace LinkFunctions.Tests.TestSupport;

/// <summary>
/// Takes the place of Application Insights' transmission channel: it keeps what would have been sent, after every
/// telemetry processor ran, and serializes it exactly as the SDK would put it on the wire.
/// </summary>
public sealed class CapturingTelemetryChannel : ITelemetryChannel
{
    /// <summary>A syntactically valid connection string whose endpoint nothing listens on.</summary>
    public const string ConnectionString = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:1/";

    private readonly ConcurrentQueue<ITelemetry> items = new();

    public IReadOnlyList<ITelemetry> Items => [.. items];

    public bool? DeveloperMode { get; set; }

    public string EndpointAddress { get; set; } = "http://127.0.0.1:1/";

    /// <summary>The app's telemetry as <c>Program.cs</c> wires it with a connection string set, sending into this capture.</summary>
    public void AddAppTelemetryTo(IServiceCollection services)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("APPLICATIONINSIGHTS_CONNECTION_STRING", ConnectionString)])
            .Build();
        services.AddLinkFunctionsTelemetry(configuration);
        AddTo(services);
    }

    /// <summary>Replaces the SDK's channel and turns sampling off, so that every item reaches the capture.</summary>
    public void AddTo(IServiceCollection services)
    {
        services.RemoveAll<ITelemetryChannel>();
        services.AddSingleton<ITelemetryChannel>(this);
        services.Configure<ApplicationInsightsServiceOptions>(options =>
        {
            options.EnableAdaptiveSampling = false;
            options.EnableQuickPulseMetricStream = false;
            options.EnablePerformanceCounterCollectionModule = false;
            options.EnableEventCounterCollectionModule = false;
        });
    }

    /// <summary>Each item as the JSON line the SDK would transmit.</summary>
    public IReadOnlyList<string> Serialized() => [.. Items.Select(item => System.Text.Encoding.UTF8.GetString(AiJson.Serialize([item], compress: false)))];

    public void Send(ITelemetry item) => items.Enqueue(item);

    public void Flush()
    {
    }

    public void Dispose()
    {
    }
}
