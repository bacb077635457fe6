using System.Xml.Linq;

namespace LinkFunctions.Tests.Infra;

/// <summary>
/// The cold-start cut that lives in the project file (docs/performance.md, "Cold start"): a publish is ReadyToRun for
/// the platform Flex Consumption runs, and the runtime identifier does not leak into builds and tests.
/// </summary>
public sealed class ColdStartSettingsTests
{
    private static readonly XElement[] Properties =
        [.. XDocument.Parse(RepoRoot.ReadAllText("LinkFunctions/LinkFunctions.csproj")).Descendants("PropertyGroup").Elements()];

    [Fact]
    public void Publish_AppProject_IsReadyToRunForLinuxX64()
    {
        Assert.Equal("true", Assert.Single(Properties, p => p.Name == "PublishReadyToRun").Value);
        var rid = Assert.Single(Properties, p => p.Name == "RuntimeIdentifier");
        Assert.Equal("linux-x64", rid.Value);
        Assert.Contains("'$(_IsPublishing)' == 'true'", rid.Attribute("Condition")?.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_AppProject_StaysFrameworkDependent()
    {
        // A self-contained publish would ship its own runtime and ignore the platform's patched one.
        Assert.All(Properties.Where(p => p.Name == "SelfContained"), p => Assert.Equal("false", p.Value));
    }
}
