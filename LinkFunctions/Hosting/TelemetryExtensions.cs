using LinkFunctions.Telemetry;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.ApplicationInsights;

namespace LinkFunctions.Hosting;

public static class TelemetryExtensions
{

    /// <summary>
    /// Application Insights from the worker, authenticated with the managed identity because the resource has local
    /// auth off. Every item passes <see cref="RedactingTelemetryProcessor"/>; see docs/architecture.md "Telemetry: what
    /// is emitted and what it may contain" for what host.json does for the host's own items.
    /// </summary>
    public static IHostApplicationBuilder AddLinkFunctionsTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLinkFunctionsTelemetry(builder.Configuration);
        return builder;
    }

    /// <summary>The same, on a service collection, so tests can add it to the app they build.</summary>
    public static IServiceCollection AddLinkFunctionsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        // Request logs carry the URL with its query string (link tokens), and a redirect's log carries its target
        // (link token and nonce); the processor redacts both, and these filters keep them out of the logs at all.
        services.Configure<LoggerFilterOptions>(options =>
        {
            options.AddFilter("Microsoft.AspNetCore.Hosting", LogLevel.Warning);
            options.AddFilter("Microsoft.AspNetCore.Mvc", LogLevel.Warning);
            options.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        });
        if (string.IsNullOrEmpty(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
        {
            return services;
        }

        services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();
        services.AddApplicationInsightsTelemetryProcessor<RedactingTelemetryProcessor>();
        services.AddOptions<TelemetryConfiguration>().Configure<Azure.Core.TokenCredential>((telemetry, credential) => telemetry.SetAzureTokenCredential(credential));

        // The worker SDK adds a rule that drops everything below Warning; our linking funnel logs at Information.
        services.Configure<LoggerFilterOptions>(options =>
        {
            options.Rules.Remove(options.Rules.FirstOrDefault(rule => rule.ProviderName == typeof(ApplicationInsightsLoggerProvider).FullName)!);

            // Ingestion is paid per item, so no Information line is sent for every request: "Webhook answered" (the
            // linkfunctions.webhook.duration metric counts every answer by status) and ASP.NET Core's per-request
            // routing lines. Only Application Insights is filtered; the console keeps them for local runs.
            options.AddFilter<ApplicationInsightsLoggerProvider>(typeof(Webhook.WebhookProcessor).FullName, LogLevel.Warning);
            options.AddFilter<ApplicationInsightsLoggerProvider>("Microsoft.AspNetCore", LogLevel.Warning);
        });
        return services;
    }

    /// <summary>The keyed hash behind <see cref="Linking.LogIds"/>: its options, and the start-up step that installs the key.</summary>
    public static IHostApplicationBuilder AddLogIdHashing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<TelemetryOptions, TelemetryOptionsValidator>(TelemetryOptions.Section);
        builder.Services.AddHostedService<LogIdKeyInstaller>();
        return builder;
    }
}
