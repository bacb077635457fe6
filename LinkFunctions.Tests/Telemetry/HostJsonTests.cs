using System.Text.Json.Nodes;
using LinkFunctions.Tests.Infra;

namespace LinkFunctions.Tests.Telemetry;

/// <summary>
/// The Functions host writes its own telemetry, out of reach of the worker's processor; host.json is the only lever.
/// docs/architecture.md "Telemetry: what is emitted and what it may contain" says why each value is needed.
/// </summary>
public sealed class HostJsonTests
{
    private static readonly JsonNode Logging = JsonNode.Parse(RepoRoot.ReadAllText("host.json"))!["logging"]!;

    [Theory]
    [InlineData("Host.Results", "None")]
    [InlineData("Microsoft.AspNetCore", "Warning")]
    public void LogLevel_CategoryCarryingUrls_AtMostWarning(string category, string level) =>
        Assert.Equal(level, (string?)Logging["logLevel"]![category]);

    [Fact]
    public void ApplicationInsights_HostDependencyTracking_Off() =>
        Assert.False((bool?)Logging["applicationInsights"]!["enableDependencyTracking"]);

    [Fact]
    public void ApplicationInsights_HttpTriggerExtendedInfo_Off() =>
        Assert.False((bool?)Logging["applicationInsights"]!["httpAutoCollectionOptions"]!["enableHttpTriggerExtendedInfoCollection"]);
}
