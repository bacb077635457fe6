using Azure.Identity;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Hosting;

public static class TelemetryExtensions
{
    /// <summary>
    /// Application Insights from the worker, authenticated with the managed identity because the resource has local
    /// auth off. Request logs include the query string, which carries link tokens, so they stay at Warning.
    /// </summary>
    public static IHostApplicationBuilder AddLinkFunctionsTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        if (string.IsNullOrEmpty(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
        {
            return builder;
        }

        builder.Services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();
        builder.Services.AddOptions<TelemetryConfiguration>().Configure<Azure.Core.TokenCredential>((telemetry, credential) => telemetry.SetAzureTokenCredential(credential));

        // The worker SDK adds a rule that drops everything below Warning; our linking funnel logs at Information.
        builder.Logging.Services.Configure<LoggerFilterOptions>(options =>
            options.Rules.Remove(options.Rules.FirstOrDefault(rule =>
                rule.ProviderName == "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider")!));
        return builder;
    }
}
