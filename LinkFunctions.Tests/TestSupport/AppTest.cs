using Microsoft.Extensions.DependencyInjection;

namespace LinkFunctions.Tests.TestSupport;

/// <summary>
/// A test class that needs the running app: a fresh LINE fake and app per test (xunit makes one instance per test),
/// sharing the run's Cosmos server. Override the hooks to change settings or services.
/// </summary>
public abstract class AppTest(CosmosFixture cosmos) : IAsyncLifetime
{
    protected CosmosFixture Cosmos => cosmos;

    protected LineFake Line { get; private set; } = null!;

    protected TestApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Line = await LineFake.StartAsync();
        App = await TestApp.StartAsync(cosmos, Line, ConfigureSettings, ConfigureServices);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Line.DisposeAsync();
    }

    protected virtual void ConfigureSettings(Dictionary<string, string?> settings)
    {
    }

    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }
}
