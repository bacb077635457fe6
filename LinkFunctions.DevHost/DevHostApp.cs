using LinkFunctions.Functions;
using LinkFunctions.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkFunctions.DevHost;

/// <summary>
/// The app's functions on Kestrel, for local development and CI where Azure Functions Core Tools is not installed.
/// It composes the app exactly as <c>Program.cs</c> does (<c>AddLinkFunctions</c>) and serves what functions.metadata
/// declares. Not a production host: no scaling, no host keys store, no telemetry pipeline; users run <c>func start</c>.
/// </summary>
public static class DevHostApp
{
    /// <param name="settings">Highest-precedence settings, for tests.</param>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var localSettings = builder.Configuration[$"{DevHostOptions.Section}:{nameof(DevHostOptions.LocalSettingsPath)}"];
        if (!string.IsNullOrEmpty(localSettings))
        {
            // Lowest precedence, as in func start: environment variables and arguments still override the file.
            builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = LocalSettings.Read(localSettings) });
        }

        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddOptions<DevHostOptions>().BindConfiguration(DevHostOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DevHostOptions>, DevHostOptionsValidator>();

        // The executors IActionResult needs, which the worker's ASP.NET Core integration also registers.
        builder.Services.AddMvcCore();
        builder.AddLinkFunctions();
        configure?.Invoke(builder);

        builder.Services.AddSingleton(sp => new TimerFunctionRunner(
            FunctionTable.LoadTimers(MetadataPath(sp), typeof(HealthFunction).Assembly), sp, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<TimerFunctionRunner>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TimerFunctionRunner>());

        var app = builder.Build();
        var prefix = FunctionTable.RoutePrefix(Path.Combine(AppContext.BaseDirectory, "host.json"));
        foreach (var function in FunctionTable.Load(MetadataPath(app.Services), typeof(HealthFunction).Assembly))
        {
            app.MapMethods($"/{prefix}/{function.Route}", function.Methods, http => FunctionEndpoint.InvokeAsync(http, function))
                .WithDisplayName(function.Name)
                .WithMetadata(function);
        }

        return app;
    }

    private static string MetadataPath(IServiceProvider services) =>
        services.GetRequiredService<IOptions<DevHostOptions>>().Value.MetadataPath is { Length: > 0 } path ? path : FunctionTable.DefaultMetadataPath;
}
