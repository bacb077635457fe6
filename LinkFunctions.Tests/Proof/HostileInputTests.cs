using LinkFunctions.Tests.EndToEnd;
using LinkFunctions.Tests.TestSupport;
using Xunit.Abstractions;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// Malformed requests for every route, driven through the real functions, local Cosmos and the LINE fake. CI runs
/// 2,000 cases; <c>HOSTILE_CASES=100000 scripts/test.sh --filter FullyQualifiedName~Proof.HostileInput</c> runs the
/// large size (docs/reliability.md). <c>HOSTILE_SEED</c> fixes the seed, <c>HOSTILE_ONLY</c> replays one case.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class HostileInputTests(CosmosFixture cosmos, ITestOutputHelper output) : AppTest(cosmos)
{
    protected override void ConfigureSettings(Dictionary<string, string?> settings)
    {
        LineLoginFlow.Settings(settings);
        settings["Liff:ChannelId"] = LiffIdTokens.LiffChannelId;

        // This suite proves what each input class is answered; the faults suite proves the time budget.
        settings["Webhook:TimeBudgetMs"] = "1900";
    }

    [Fact]
    public void RouteTable_EveryFunction_HasAHostileProfile()
    {
        var missing = RouteTable.All.Select(r => r.Function).Where(f => !HostileProfiles.All.ContainsKey(f)).ToList();

        Assert.True(missing.Count == 0, "No hostile-input profile for: " + string.Join(", ", missing) + " (add one to Proof/HostileProfiles.cs).");
    }

    [Fact]
    public void HostileProfiles_EveryProfile_NamesAFunctionOfTheApp()
    {
        var functions = RouteTable.All.Select(r => r.Function).ToHashSet();

        var stale = HostileProfiles.All.Keys.Where(name => !functions.Contains(name)).ToList();

        Assert.True(stale.Count == 0, "Hostile profiles for functions the app does not have: " + string.Join(", ", stale));
    }

    [Fact]
    public void RouteTable_FromReflection_FindsTheHttpFunctionsWithTheirRoutes()
    {
        var webhook = Assert.Single(RouteTable.All, r => r.Function == "LineWebhook");
        var byLineUser = Assert.Single(RouteTable.All, r => r.Function == "GetLinkByLineUser");

        Assert.Equal("line/webhook", webhook.Route);
        Assert.Equal(["post"], webhook.Methods);
        Assert.Equal(["lineUserId"], byLineUser.Parameters);
        Assert.True(RouteTable.All.Count >= 16);
    }

    [Fact]
    public async Task HostileInput_EveryRoute_AnswersWhatTheContractNames()
    {
        var seed = Environment.GetEnvironmentVariable("HOSTILE_SEED") is { Length: > 0 } fixedSeed ? int.Parse(fixedSeed) : Random.Shared.Next();
        var cases = Environment.GetEnvironmentVariable("HOSTILE_CASES") is { Length: > 0 } size ? int.Parse(size) : 2_000;
        int? only = Environment.GetEnvironmentVariable("HOSTILE_ONLY") is { Length: > 0 } one ? int.Parse(one) : null;

        var report = await HostileRun.RunAsync(new HostileContext(App, Line), seed, cases, parallelism: 4, only);

        output.WriteLine(report.Summary());
        foreach (var (kind, count) in report.Kinds.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {kind}: {count}");
        }

        if (Environment.GetEnvironmentVariable("HOSTILE_REPORT") is { Length: > 0 } path)
        {
            await File.WriteAllLinesAsync(path, [report.Summary(), .. report.Kinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"  {k.Key}: {k.Value}"), .. report.Failures]);
        }

        Assert.True(report.Failures.Count == 0, $"seed {seed}: {report.Failures.Count} of {report.Cases} cases broke the contract:\n" + string.Join("\n", report.Failures.Take(25)));
    }
}
