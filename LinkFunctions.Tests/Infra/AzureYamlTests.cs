using YamlDotNet.RepresentationModel;

namespace LinkFunctions.Tests.Infra;

/// <summary>azure.yaml: the one azd service is the function project, and its name is the tag Bicep puts on the app.</summary>
public sealed class AzureYamlTests
{
    [Fact]
    public void Services_FunctionService_PointsAtTheFunctionProject()
    {
        var service = Assert.Single(Services());
        var properties = (YamlMappingNode)service.Value;

        var project = Scalar(properties, "project");
        Assert.True(File.Exists(Path.Combine(RepoRoot.File(project), "LinkFunctions.csproj")), $"No LinkFunctions.csproj in {project}.");
        Assert.Equal("dotnet", Scalar(properties, "language"));
        Assert.Equal("function", Scalar(properties, "host"));
    }

    [Fact]
    public void Services_ServiceName_MatchesBicepServiceName()
    {
        var service = Assert.Single(Services());

        var mainBicep = BicepSource.Parse(RepoRoot.ReadAllText("infra/main.bicep")).WithoutComments();

        Assert.Contains($"var serviceName = '{((YamlScalarNode)service.Key).Value}'", mainBicep, StringComparison.Ordinal);
    }

    private static IReadOnlyList<KeyValuePair<YamlNode, YamlNode>> Services()
    {
        var yaml = new YamlStream();
        using (var reader = new StringReader(RepoRoot.ReadAllText("azure.yaml")))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        return ((YamlMappingNode)root.Children[new YamlScalarNode("services")]).Children.ToList();
    }

    private static string Scalar(YamlMappingNode node, string key) =>
        ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value ?? "";
}
