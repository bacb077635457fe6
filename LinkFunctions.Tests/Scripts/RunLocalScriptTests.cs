using LinkFunctions.Tests.Infra;

namespace LinkFunctions.Tests.Scripts;

/// <summary>scripts/run-local.sh on a machine that has not installed Core Tools yet: the newcomer's first run.</summary>
public sealed class RunLocalScriptTests
{
    [Fact]
    public async Task RunLocal_WithoutCoreTools_CreatesSettingsThenPrintsCurrentInstallHint()
    {
        var scratch = Directory.CreateTempSubdirectory("run-local-").FullName;
        try
        {
            var script = ScriptProcess.CopyToScratch(scratch, "scripts/run-local.sh");
            ScriptProcess.CopyToScratch(scratch, "local.settings.sample.json");
            // A PATH with just what the script needs before its Core Tools check: no func, wherever this runs.
            var bin = Directory.CreateDirectory(Path.Combine(scratch, "bin")).FullName;
            foreach (var tool in new[] { "dirname", "cp", "cat" })
            {
                File.CreateSymbolicLink(Path.Combine(bin, tool), ScriptProcess.Which(tool));
            }

            var result = await ScriptProcess.RunAsync(script, [], new Dictionary<string, string?> { ["PATH"] = bin });

            Assert.Equal(1, result.ExitCode);
            Assert.Equal(
                await File.ReadAllTextAsync(RepoRoot.File("local.settings.sample.json")),
                await File.ReadAllTextAsync(Path.Combine(scratch, "local.settings.json")));
            Assert.Contains("created local.settings.json", result.Output, StringComparison.Ordinal);
            Assert.Contains("npm install -g azure-functions-core-tools@4\n", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("--unsafe-perm", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
