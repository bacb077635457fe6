using LinkFunctions.Functions;
using LinkFunctions.Health;
using LinkFunctions.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinkFunctions.Tests.Functions;

[Collection(CosmosCollection.Name)]
public sealed class ReadinessFunctionTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    [Fact]
    public async Task Run_AppStartedWithEveryDependencyUp_Returns200WithEachOk()
    {
        var result = await App.Function<ReadinessFunction>().Run(HttpRequests.Get("/api/health/ready"));

        Assert.Equal(200, HttpRequests.Status(result));
        var json = FunctionHttp.Json(result);
        Assert.Equal("ready", json.GetProperty("status").GetString());
        var dependencies = json.GetProperty("dependencies");
        Assert.Equal(["channelSecret", "channelToken", "cosmos"], dependencies.EnumerateObject().Select(d => d.Name).Order(StringComparer.Ordinal));
        Assert.All(dependencies.EnumerateObject(), d => Assert.Equal("ok", d.Value.GetString()));
        Assert.DoesNotContain(TestApp.ChannelSecret, HttpRequests.Content(result), StringComparison.Ordinal);
        Assert.DoesNotContain(LineFake.AccessToken, HttpRequests.Content(result), StringComparison.Ordinal);
    }

    [Fact]
    public void StartAsync_BeforeAnyRequest_TheWarmUpHasIssuedTheChannelToken()
    {
        Assert.Single(Line.CallsTo("/oauth2/v3/token"));
    }

    [Fact]
    public async Task Run_ADependencyFails_Returns503NamingItAndNothingElse()
    {
        var readiness = new ReadinessCheck(
            [
                new DependencyProbe("cosmos", _ => Task.CompletedTask),
                new DependencyProbe("channelSecret", _ => throw new InvalidOperationException("secret 8c570fa6dd201bb328f1c1eac23a96d8 refused")),
            ],
            TimeProvider.System, NullLogger<ReadinessCheck>.Instance);

        var result = await new ReadinessFunction(readiness).Run(HttpRequests.Get("/api/health/ready"));

        Assert.Equal(503, HttpRequests.Status(result));
        var json = FunctionHttp.Json(result);
        Assert.Equal("not-ready", json.GetProperty("status").GetString());
        Assert.Equal("failing", json.GetProperty("dependencies").GetProperty("channelSecret").GetString());
        Assert.Equal("ok", json.GetProperty("dependencies").GetProperty("cosmos").GetString());
        Assert.DoesNotContain("8c570fa6", HttpRequests.Content(result), StringComparison.Ordinal);
        Assert.DoesNotContain("refused", HttpRequests.Content(result), StringComparison.Ordinal);
    }
}
