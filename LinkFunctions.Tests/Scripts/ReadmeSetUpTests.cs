using System.Text.RegularExpressions;
using LinkFunctions.Tests.Infra;

namespace LinkFunctions.Tests.Scripts;

/// <summary>The README's promise to a newcomer: two commands, the same test command as CI, and scripts that exist.</summary>
public sealed partial class ReadmeSetUpTests
{
    [Fact]
    public void SetUp_CommandTable_HasExactlyRunAndTestAndCiRunsTheSameTest()
    {
        var setUp = Section(RepoRoot.ReadAllText("README.md"), "## Set-up on a fresh machine");

        var commands = CommandRow().Matches(setUp).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(["scripts/run-local.sh", "scripts/test.sh"], commands);
        Assert.Contains("bash scripts/test.sh", RepoRoot.ReadAllText(".ci/run"), StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_EveryScriptItNames_Exists()
    {
        var named = ScriptPath().Matches(RepoRoot.ReadAllText("README.md")).Select(m => m.Value).Distinct().ToList();

        Assert.Contains("scripts/smoke.sh", named);
        Assert.All(named, path => Assert.True(File.Exists(RepoRoot.File(path)), $"README names {path}, which does not exist."));
    }

    private static string Section(string markdown, string heading)
    {
        var start = markdown.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"No '{heading}' in README.md.");
        var end = markdown.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return markdown[start..(end < 0 ? markdown.Length : end)];
    }

    // A table row whose last cell is just a script command: | **run** the app locally | `scripts/run-local.sh` |
    [GeneratedRegex(@"(?m)^\|[^|\n]*\|\s*`(scripts/[\w.-]+\.sh)`\s*\|\s*$")]
    private static partial Regex CommandRow();

    [GeneratedRegex(@"scripts/[\w.-]+\.sh")]
    private static partial Regex ScriptPath();
}
