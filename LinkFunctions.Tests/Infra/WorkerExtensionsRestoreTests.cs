using System.Reflection;
using System.Text.Json;

namespace LinkFunctions.Tests.Infra;

/// <summary>
/// The Functions SDK restores a generated WorkerExtensions.csproj on every build of the app. Its NU1603 warnings
/// (eight per build) taught newcomers to ignore the build output; LinkFunctions.csproj silences exactly that code
/// for exactly that restore. The restore records its warnings in the project's assets file, which this build of
/// the tests has just produced (the test project references the app).
/// </summary>
public sealed class WorkerExtensionsRestoreTests
{
    [Fact]
    public void WorkerExtensionsRestore_CurrentBuild_RecordsNoNu1603()
    {
        var assets = AssetsFile();
        Assert.True(File.Exists(assets), $"No {assets}: the app was not built in this configuration, or the SDK moved its extension project.");

        using var json = JsonDocument.Parse(File.ReadAllText(assets));
        var codes = json.RootElement.TryGetProperty("logs", out var logs)
            ? logs.EnumerateArray().Select(entry => entry.GetProperty("code").GetString()).ToList()
            : [];

        Assert.DoesNotContain("NU1603", codes);
    }

    private static string AssetsFile()
    {
        var configuration = typeof(WorkerExtensionsRestoreTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        return RepoRoot.File($"LinkFunctions/obj/{configuration}/net10.0/WorkerExtensions/obj/project.assets.json");
    }
}
