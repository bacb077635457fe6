using System.Text.Json;
using System.Text.RegularExpressions;

namespace LinkFunctions.Tests.Infra;

/// <summary>Rules every template under infra/ keeps: local modules only, no secret values as parameters.</summary>
public sealed partial class InfraTemplateTests
{
    [Fact]
    public void Modules_AnyTemplate_AreExistingLocalFiles()
    {
        var problems = new List<string>();
        foreach (var file in BicepSource.InfraFiles())
        {
            var text = BicepSource.Load(file).WithoutComments();
            foreach (Match module in ModuleReference().Matches(text))
            {
                var target = module.Groups[1].Value;
                var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(RepoRoot.File(file))!, target));
                if (target.Contains(':', StringComparison.Ordinal) || !File.Exists(resolved))
                {
                    problems.Add($"{file}: {target}");
                }
            }
        }

        Assert.True(problems.Count == 0, $"Modules must be local files (registries cannot be reached): {string.Join(", ", problems)}");
    }

    [Fact]
    public void Parameters_AnyTemplate_CarryNoSecretValues()
    {
        var problems = new List<string>();
        foreach (var file in BicepSource.InfraFiles())
        {
            var source = BicepSource.Load(file);
            if (source.WithoutComments().Contains("@secure()", StringComparison.Ordinal))
            {
                problems.Add($"{file}: @secure() parameter");
            }

            problems.AddRange(source.ParameterNames()
                .Where(name => SecretLikeName().IsMatch(name) && !name.EndsWith("Name", StringComparison.Ordinal))
                .Select(name => $"{file}: {name}"));
        }

        Assert.True(problems.Count == 0, $"Secret values are set in Key Vault after deployment, never passed as parameters: {string.Join(", ", problems)}");
    }

    [Fact]
    public void ParametersFile_EveryEntry_IsAMainParameter()
    {
        var declared = BicepSource.Load("infra/main.bicep").ParameterNames();
        using var parameters = JsonDocument.Parse(RepoRoot.ReadAllText("infra/main.parameters.json"));

        var supplied = parameters.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToList();

        Assert.All(supplied, name => Assert.Contains(name, declared));
    }

    [Fact]
    public void ParametersFile_MainParametersWithoutDefault_AreSupplied()
    {
        var main = BicepSource.Load("infra/main.bicep");
        using var parameters = JsonDocument.Parse(RepoRoot.ReadAllText("infra/main.parameters.json"));
        var supplied = parameters.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

        var required = main.ParameterNames().Where(name => main.ParameterDefault(name) is null).ToList();

        Assert.All(required, name => Assert.Contains(name, supplied));
    }

    [GeneratedRegex(@"(?m)^[ \t]*module[ \t]+\w+[ \t]+'([^']*)'")]
    private static partial Regex ModuleReference();

    [GeneratedRegex("secret|password|connectionstring|accountkey|apikey|token", RegexOptions.IgnoreCase)]
    private static partial Regex SecretLikeName();
}
