using System.Text.Json;
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

    // CI provisions from a fresh azd environment: every variable infra/main.parameters.json reads must come from the
    // job's env. With a default there (${NAME=default}), the env falls back to the same default, because an undefined
    // repository variable is an empty string, which azd passes on as set (it fails @allowed, or resets a setting).
    [Fact]
    public void DeployJob_EveryAzdParameterVariable_IsPassedWithTheParametersFileDefault()
    {
        var env = Mapping(DeployJob(), "env").Children
            .ToDictionary(pair => ((YamlScalarNode)pair.Key).Value!, pair => ((YamlScalarNode)pair.Value).Value ?? "", StringComparer.Ordinal);

        var problems = new List<string>();
        foreach (var (name, fallback) in ParameterFileVariables())
        {
            if (!env.TryGetValue(name, out var value))
            {
                problems.Add($"{name} is not in the deploy job's env");
            }
            else if (fallback is not null && !Regex.IsMatch(value, $@"^\$\{{\{{\s*vars\.{name}\s*\|\|\s*'{Regex.Escape(fallback)}'\s*\}}\}}$"))
            {
                problems.Add($"{name}: '{value}' must be ${{{{ vars.{name} || '{fallback}' }}}}");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void DeployDocs_EveryRepositoryVariableTheWorkflowReads_IsListed()
    {
        var docs = RepoRoot.ReadAllText("docs/deploy.md");
        var section = docs[docs.IndexOf("## Deploy from GitHub Actions", StringComparison.Ordinal)..];
        section = section[..(section.IndexOf("\n## ", 1, StringComparison.Ordinal) is var end and > 0 ? end : section.Length)];

        var read = RepositoryVariable().Matches(RepoRoot.ReadAllText(WorkflowPath)).Select(m => m.Groups[1].Value).Distinct().ToList();

        Assert.Contains("ALWAYS_READY", read);
        Assert.All(read, name => Assert.Contains($"`{name}`", section, StringComparison.Ordinal));
    }

    // ${NAME} or ${NAME=default} in infra/main.parameters.json, except the principal azd fills in itself.
    private static IEnumerable<(string Name, string? Default)> ParameterFileVariables()
    {
        using var parameters = JsonDocument.Parse(RepoRoot.ReadAllText("infra/main.parameters.json"));
        return parameters.RootElement.GetProperty("parameters").EnumerateObject()
            .Select(p => p.Value.GetProperty("value").GetRawText())
            .SelectMany(raw => AzdVariable().Matches(raw))
            .Select(m => (m.Groups[1].Value, m.Groups[2].Success ? m.Groups[2].Value : null))
            .Where(v => v.Item1 != "AZURE_PRINCIPAL_ID")
            .ToList();
    }

    private static YamlMappingNode DeployJob() =>
        Assert.Single(Mapping(Workflow(), "jobs").Children.Values.Cast<YamlMappingNode>(),
            job => Value(job, "if")?.Contains("refs/tags/v", StringComparison.Ordinal) == true);

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

    [GeneratedRegex(@"\$\{([A-Z][A-Z0-9_]*)(?:=([^}]*))?\}")]
    private static partial Regex AzdVariable();

    [GeneratedRegex(@"\bvars\.([A-Z][A-Z0-9_]*)")]
    private static partial Regex RepositoryVariable();

    // GitHub expressions such as ${{ vars.AZURE_ENV_NAME }}.
    [GeneratedRegex(@"\$\{\{.*?\}\}", RegexOptions.Singleline)]
    private static partial Regex Expression();
}
