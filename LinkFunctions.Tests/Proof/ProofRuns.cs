using System.Globalization;
using Xunit.Abstractions;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// How often the proof suites repeat a race or walk, each time with fresh ids. CI runs the small default; set
/// <c>LINKFUNCTIONS_PROOF_ITERATIONS</c> for a larger run (docs/reliability.md gives the command).
/// </summary>
public static class ProofRuns
{
    public const string IterationsVariable = "LINKFUNCTIONS_PROOF_ITERATIONS";

    /// <summary>The configured count, or <paramref name="ci"/> when none is set.</summary>
    public static int Iterations(int ci) =>
        int.TryParse(Environment.GetEnvironmentVariable(IterationsVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : ci;

    /// <summary>A service user id no other iteration or test uses.</summary>
    public static string NewServiceUser(string tag = "customer") => $"{tag}-{Guid.NewGuid():N}";

    /// <summary>Fails with every problem found, one per line, and otherwise writes the suite's figure.</summary>
    public static void Report(ITestOutputHelper output, IReadOnlyCollection<string> problems, string figure)
    {
        Assert.True(problems.Count == 0, $"{problems.Count} inconsistencies:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
        output.WriteLine(figure);
    }
}
