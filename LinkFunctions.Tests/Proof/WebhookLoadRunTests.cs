using LinkFunctions.Tests.EndToEnd;
using LinkFunctions.Tests.TestSupport;
using Xunit.Abstractions;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// The load run of the webhook path (docs/performance.md, "Load run"). In CI it runs at smoke size and asserts only
/// correctness: every answer 200, every link stored, every prompt replied to once. The figures come from a larger run,
/// <c>benchmarks/load-run.sh</c>, which sets <see cref="RequestsVariable"/> and prints them; no timing is asserted.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class WebhookLoadRunTests(CosmosFixture cosmos, ITestOutputHelper output) : AppTest(cosmos)
{
    public const string RequestsVariable = "LINKFUNCTIONS_LOAD_REQUESTS";
    public const string ConcurrencyVariable = "LINKFUNCTIONS_LOAD_CONCURRENCY";
    public const string ReportVariable = "LINKFUNCTIONS_LOAD_REPORT";
    private const int SmokeRequests = 300;

    private static readonly int? RequestedSize = int.TryParse(Environment.GetEnvironmentVariable(RequestsVariable), out var n) && n > 0 ? n : null;

    protected override void ConfigureSettings(Dictionary<string, string?> settings)
    {
        if (RequestedSize is null)
        {
            // The smoke run asserts correctness only: on a CI machine shared with other work, the widest budget the
            // options allow keeps a slow moment from becoming a timing failure. A measured run keeps the app's default.
            settings["Webhook:TimeBudgetMs"] = "1900";
        }
    }

    [Fact]
    public async Task LoadRun_DefaultMix_EveryAnswer200AndNothingLost()
    {
        var size = RequestedSize ?? SmokeRequests;
        var concurrency = int.TryParse(Environment.GetEnvironmentVariable(ConcurrencyVariable), out var c) && c > 0 ? c : 8;
        var run = new WebhookLoadRun(App, Line);
        var plan = await run.PlanAsync(size);
        Line.Clear();
        var loadBefore = LoadAverage();

        var figures = await run.RunAsync(plan, concurrency);

        var report = $"""
            date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; cores: {Environment.ProcessorCount}; load average before/after: {loadBefore} / {LoadAverage()}
            {figures}
            """;
        output.WriteLine(report);
        if (Environment.GetEnvironmentVariable(ReportVariable) is { Length: > 0 } path)
        {
            await File.WriteAllTextAsync(path, report);
        }

        Assert.Equal(new Dictionary<int, int> { [200] = size }, figures.Statuses);
        var prompts = plan.Count(p => p.Kind is LoadEventKind.Keyword or LoadEventKind.Follow);
        var accountLinks = plan.Where(p => p.Kind == LoadEventKind.AccountLink).ToList();
        Assert.Equal(prompts, Line.CallsTo("/linkToken").Count);
        Assert.Equal(prompts + accountLinks.Count, Line.CallsTo("/v2/bot/message/reply").Count);
        var flow = new LinkingFlow(App, Line);
        foreach (var linked in accountLinks)
        {
            Assert.NotNull(await flow.FindByLineUserAsync(linked.LineUserId));
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
