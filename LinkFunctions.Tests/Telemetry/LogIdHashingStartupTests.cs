using System.Text;
using LinkFunctions.Linking;
using LinkFunctions.Tests.TestSupport;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Tests.Telemetry;

/// <summary>The app as <c>AddLinkFunctions()</c> wires it: the key is validated and installed at start-up.</summary>
[Collection(CosmosCollection.Name)]
public sealed class LogIdHashingStartupTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    private const string Key = "startup-installed-key-0123456789abcdef";

    protected override void ConfigureSettings(Dictionary<string, string?> settings) => settings["Telemetry:IdHashKey"] = Key;

    [Fact]
    public void Start_IdHashKeySet_LogIdsUseIt() =>
        Assert.Equal(LogIds.Hash("customer-7", Encoding.UTF8.GetBytes(Key)), LogIds.Hash("customer-7"));

    [Fact]
    public async Task Start_ShortIdHashKey_FailsNamingTelemetryIdHashKey()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            TestApp.StartAsync(Cosmos, Line, settings => settings["Telemetry:IdHashKey"] = "short"));

        Assert.Contains("Telemetry__IdHashKey", ex.Message, StringComparison.Ordinal);
    }
}
