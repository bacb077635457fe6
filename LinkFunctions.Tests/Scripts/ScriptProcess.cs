using System.Diagnostics;
using LinkFunctions.Tests.Infra;

namespace LinkFunctions.Tests.Scripts;

/// <summary>What a script run printed and returned.</summary>
public sealed record ScriptResult(int ExitCode, string Output, string Error);

/// <summary>
/// Runs a repository script with bash, with an environment that the test states in full for the variables the
/// scripts read (a developer's own LINE_CHANNEL_SECRET must not leak into a test).
/// </summary>
public static class ScriptProcess
{
    public static async Task<ScriptResult> RunAsync(
        string scriptPath, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(Bash())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(scriptPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("LINE_CHANNEL_SECRET");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return new ScriptResult(process.ExitCode, await output, await error);
    }

    /// <summary>A copy of one script at the same relative path under a fresh directory, so it sees that directory as the repository root.</summary>
    public static string CopyToScratch(string scratchRoot, string relativePath)
    {
        var target = Path.Combine(scratchRoot, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(RepoRoot.File(relativePath), target);
        return target;
    }

    /// <summary>An executable found on PATH, for tests that build a PATH of their own.</summary>
    public static string Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{name} is not on PATH.");

    private static string Bash() => Which("bash");
}
