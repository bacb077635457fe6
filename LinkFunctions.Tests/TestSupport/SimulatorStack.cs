using System.Net;
using System.Net.Sockets;
using LinkFunctions.Simulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Tests.TestSupport;

/// <summary>
/// What the README's run command starts, in process on loopback: the simulator (LINE and "your service") and the app
/// on the dev host, pointed at each other with the settings scripts/run-local.sh exports (<see cref="AppSettings"/>).
/// </summary>
public sealed class SimulatorStack : IAsyncDisposable
{
    private SimulatorStack(WebApplication simulator, DevHostServer app, Uri simulatorUrl)
    {
        Simulator = simulator;
        App = app;
        SimulatorUrl = simulatorUrl;
    }

    public WebApplication Simulator { get; }

    public DevHostServer App { get; }

    public Uri SimulatorUrl { get; }

    public T Get<T>() where T : notnull => Simulator.Services.GetRequiredService<T>();

    public static async Task<SimulatorStack> StartAsync(CosmosFixture cosmos)
    {
        // Each side's URL goes into the other's settings, so both ports are chosen before either starts.
        var simulatorUrl = new Uri($"http://127.0.0.1:{FreePort()}");
        var appUrl = new Uri($"http://127.0.0.1:{FreePort()}");
        var options = new SimulatorOptions { PublicUrl = simulatorUrl, AppBaseUrl = appUrl, FunctionKey = DevHostServer.FunctionKey };
        var simulator = SimulatorApp.Build([], new Dictionary<string, string?>
        {
            ["Simulator:PublicUrl"] = simulatorUrl.AbsoluteUri,
            ["Simulator:AppBaseUrl"] = appUrl.AbsoluteUri,
            ["Simulator:FunctionKey"] = DevHostServer.FunctionKey,
        }, builder => builder.Logging.ClearProviders());
        simulator.Urls.Add(simulatorUrl.AbsoluteUri.TrimEnd('/'));
        await simulator.StartAsync();

        var settings = AppSettings.For(options).ToDictionary(s => s.Key.Replace("__", ":", StringComparison.Ordinal), s => (string?)s.Value);
        settings["Cosmos:ConnectionString"] = cosmos.ConnectionString;
        settings["Cosmos:DatabaseName"] = cosmos.DatabaseName;
        var app = await DevHostServer.StartAsync(settings, appUrl.AbsoluteUri.TrimEnd('/'));
        return new SimulatorStack(simulator, app, simulatorUrl);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Simulator.StopAsync();
        await Simulator.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
