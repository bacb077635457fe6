using LinkFunctions.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Tests.TestSupport;

/// <summary>
/// The app as the Functions host would build it, minus the host: the same <c>AddLinkFunctions()</c> that
/// <c>Program.cs</c> calls, test configuration, then start (which validates options and runs hosted services).
/// Function classes are activated from its service provider, as the worker does.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    public const string ChannelId = "1234567890";

    /// <summary>LINE's published signature example secret.</summary>
    public const string ChannelSecret = "8c570fa6dd201bb328f1c1eac23a96d8";

    public const string LoginProvider = "aad";
    public static readonly Uri PublicBaseUrl = new("https://link.example.com");
    public static readonly Uri ServiceLinkPageUrl = new("https://service.example.com/line/link?from=line");

    private TestApp(IHost host) => Host = host;

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    public static Dictionary<string, string?> Settings(CosmosFixture cosmos, LineFake line) => new()
    {
        ["Line:ChannelId"] = ChannelId,
        ["Line:ChannelSecret"] = ChannelSecret,
        ["Line:ApiBaseUrl"] = line.BaseUrl.ToString(),
        ["Cosmos:ConnectionString"] = cosmos.ConnectionString,
        ["Cosmos:DatabaseName"] = cosmos.DatabaseName,
        ["Linking:PublicBaseUrl"] = PublicBaseUrl.ToString(),
        ["Linking:ServiceLinkPageUrl"] = ServiceLinkPageUrl.ToString(),
        ["Auth:Mode"] = "AppService",
        ["Auth:LoginProvider"] = LoginProvider,
        ["Auth:AllowUnverifiedPrincipalHeaders"] = "true",
    };

    public static async Task<TestApp> StartAsync(
        CosmosFixture cosmos, LineFake line, Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? services = null)
    {
        var settings = Settings(cosmos, line);
        configure?.Invoke(settings);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = Environments.Development,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.AddLinkFunctions();
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();

        // The warm-up runs in the background (DependencyWarmUp); the flows start from a warmed app, as before.
        foreach (var warmUp in host.Services.GetServices<IHostedService>().OfType<DependencyWarmUp>())
        {
            await warmUp.Completion;
        }
        return new TestApp(host);
    }

    public T Function<T>() => ActivatorUtilities.CreateInstance<T>(Services);

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}
