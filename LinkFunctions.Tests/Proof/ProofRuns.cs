using System.Globalization;
using Xunit.Abstractions;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// How often the proof suites repeat a race or walk, each time with fresh ids. CI runs the small default; set
/// <c>LINKFUNCTIONS_PROOF_ITERATIONS</c> for a larger run (docs/reliability.md gives the command).
/// </summary>
public static class ProofRuns
{
    /// <summary>
    /// How long a webhook answer may take here. The budget (<c>Webhook__TimeBudgetMs</c>) is 1.5 s and LINE wants the
    /// answer within 2 s; the extra second is for a loaded 2-core machine to schedule the request and unwind the
    /// cancelled call. It still catches a budget that is not applied: a stalled call would otherwise hang for the
    /// SDK's or the resilience pipeline's own timeouts (3 to 10 s and more).
    /// </summary>
    public static readonly TimeSpan WebhookAnswerBound = TimeSpan.FromSeconds(2.5);

    public const string IterationsVariable = "LINKFUNCTIONS_PROOF_ITERATIONS";

    /// <summary>The configured count, or <paramref name="ci"/> when none is set.</summary>
    public static int Iterations(int ci) =>
        int.TryParse(Environment.GetEnvironmentVariable(IterationsVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : ci;

    /// <summary>A service user id no other iteration or test uses.</summary>
    public static string NewServiceUser(string tag = "customer") => $"{tag}-{Guid.NewGuid():N}";

    /// <summary>
    /// Races test ordering, not timing (the fault suites prove the budget): with 100 requests at once on a loaded
    /// 2-core machine the default 1.5 s budget would turn a race into a timeout test, so they run at the largest
    /// budget the app accepts.
    /// </summary>
    public static void RaceSettings(Dictionary<string, string?> settings) => settings["Webhook:TimeBudgetMs"] = "1900";

    /// <summary>Runs <paramref name="round"/> <paramref name="iterations"/> times; returns every problem, labelled with its round.</summary>
    public static async Task<List<string>> RepeatAsync(int iterations, Func<Task<List<string>>> round)
    {
        var problems = new List<string>();
        for (var i = 1; i <= iterations; i++)
        {
            problems.AddRange((await round()).Select(p => $"round {i}: {p}"));
        }

        return problems;
    }

    /// <summary>Fails with every problem found, one per line, and otherwise writes the suite's figure.</summary>
    public static void Report(ITestOutputHelper output, IReadOnlyCollection<string> problems, string figure)
    {
        Assert.True(problems.Count == 0, $"{problems.Count} inconsistencies:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
        output.WriteLine(figure);
    }
}
