using LinkFunctions.DevHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Tests.TestSupport;

/// <summary>The app served by the dev host on a loopback port, composed from the same settings as <see cref="TestApp"/>.</summary>
public sealed class DevHostServer : IAsyncDisposable
{
    public const string FunctionKey = "dev-host-test-function-key";

    private DevHostServer(WebApplication app, Uri baseUrl)
    {
        App = app;
        BaseUrl = baseUrl;
        Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = baseUrl };
    }

    public WebApplication App { get; }

    public Uri BaseUrl { get; }

    /// <summary>Sends no key unless a request adds one: the caller decides.</summary>
    public HttpClient Client { get; }

    public static async Task<DevHostServer> StartAsync(Dictionary<string, string?> settings, string url = "http://127.0.0.1:0")
    {
        settings["DevHost:FunctionKey"] = FunctionKey;
        var app = DevHostApp.Build([], settings, builder => builder.Logging.ClearProviders());
        app.Urls.Add(url);
        await app.StartAsync();
        return new DevHostServer(app, new Uri(app.Urls.First()));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
