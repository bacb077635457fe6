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

    /// <summary>
    /// The levels docs/performance.md "Host log levels" chose: per-invocation lines are ingestion paid on every request,
    /// and the linkfunctions.* metrics already count every answer; failures stay visible at Warning and above.
    /// </summary>
    [Theory]
    [InlineData("default", "Warning")]
    [InlineData("Function", "Warning")]
    [InlineData("Host.Aggregator", "Information")]
    [InlineData("Azure.Core", "Warning")]
    public void LogLevel_PerInvocationAndSdkCategories_TheDocumentedLevel(string category, string level) =>
        Assert.Equal(level, (string?)Logging["logLevel"]![category]);

    [Fact]
    public void LogLevel_EveryCategory_PinnedByATest()
    {
        // A new category must be chosen deliberately (and documented), not slipped in.
        string[] pinned = ["default", "Function", "Host.Aggregator", "Azure.Core", "Host.Results", "Microsoft.AspNetCore"];

        Assert.Equal(pinned.Order(StringComparer.Ordinal), Logging["logLevel"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ApplicationInsights_HostDependencyTracking_Off() =>
        Assert.False((bool?)Logging["applicationInsights"]!["enableDependencyTracking"]);

    [Fact]
    public void ApplicationInsights_HttpTriggerExtendedInfo_Off() =>
        Assert.False((bool?)Logging["applicationInsights"]!["httpAutoCollectionOptions"]!["enableHttpTriggerExtendedInfoCollection"]);
}
