using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace LinkFunctions.Tests.Infra;

/// <summary>.github/workflows/deploy.yml: valid YAML, every file its steps name exists, and tags deploy with azd.</summary>
public sealed partial class DeployWorkflowTests
{
    private const string WorkflowPath = ".github/workflows/deploy.yml";

    [Fact]
    public void Workflow_Load_IsYamlWithJobs()
    {
        var root = Workflow();

        Assert.NotEmpty(Mapping(root, "jobs").Children);
    }

    [Fact]
    public void Steps_NamedFilePaths_ExistInRepo()
    {
        var paths = Steps(Workflow())
            .SelectMany(StepText)
            .SelectMany(text => FilePath().Matches(Expression().Replace(text, " ")).Select(m => m.Groups[1].Value))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.Contains("scripts/test.sh", paths);
        Assert.All(paths, path => Assert.True(File.Exists(RepoRoot.File(path)), $"{WorkflowPath} names {path}, which does not exist."));
    }

    [Fact]
    public void Triggers_VersionTag_RunsTheAzdDeployJob()
    {
        var root = Workflow();
        var tags = (YamlSequenceNode)Mapping(Mapping(root, "on"), "push").Children[new YamlScalarNode("tags")];
        Assert.Contains(tags.Children, tag => ((YamlScalarNode)tag).Value == "v*");

        var deployJobs = Mapping(root, "jobs").Children.Values.Cast<YamlMappingNode>()
            .Where(job => job.Children.TryGetValue(new YamlScalarNode("if"), out var condition)
                && ((YamlScalarNode)condition).Value!.Contains("refs/tags/v", StringComparison.Ordinal))
            .ToList();
        var deploy = Assert.Single(deployJobs);

        var steps = ((YamlSequenceNode)deploy.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>().ToList();
        Assert.Contains(steps, step => Value(step, "uses")?.StartsWith("Azure/setup-azd@", StringComparison.Ordinal) == true);
        Assert.Contains(steps, step => Value(step, "run")?.Contains("azd deploy", StringComparison.Ordinal) == true);
        Assert.True(File.Exists(RepoRoot.File("azure.yaml")), "azd needs azure.yaml at the repository root.");
    }

    private static YamlMappingNode Workflow()
    {
        var yaml = new YamlStream();
        using (var reader = new StringReader(RepoRoot.ReadAllText(WorkflowPath)))
        {
            yaml.Load(reader);
        }

        return (YamlMappingNode)Assert.Single(yaml.Documents).RootNode;
    }

    private static IEnumerable<YamlMappingNode> Steps(YamlMappingNode root) =>
        Mapping(root, "jobs").Children.Values.Cast<YamlMappingNode>()
            .Where(job => job.Children.ContainsKey(new YamlScalarNode("steps")))
            .SelectMany(job => ((YamlSequenceNode)job.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>());

    // The parts of a step that can name a repository file: its script, its action inputs and its working directory.
    private static IEnumerable<string> StepText(YamlMappingNode step)
    {
        foreach (var key in new[] { "run", "working-directory" })
        {
            if (Value(step, key) is { } text)
            {
                yield return text;
            }
        }

        if (step.Children.TryGetValue(new YamlScalarNode("with"), out var with))
        {
            foreach (var input in ((YamlMappingNode)with).Children.Values.OfType<YamlScalarNode>())
            {
                yield return input.Value ?? "";
            }
        }
    }

    private static YamlMappingNode Mapping(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    private static string? Value(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    // A relative path with a file extension, not part of a URL, option or longer path.
    [GeneratedRegex(@"(?<![\w./:@$=-])(?:\./)?((?:[\w.-]+/)*[\w-][\w.-]*\.(?:sh|ps1|py|ya?ml|json|slnx|sln|csproj|bicep|bicepparam|md))(?![\w/.-])")]
    private static partial Regex FilePath();

    // GitHub expressions such as ${{ vars.AZURE_ENV_NAME }}.
    [GeneratedRegex(@"\$\{\{.*?\}\}", RegexOptions.Singleline)]
    private static partial Regex Expression();
}
