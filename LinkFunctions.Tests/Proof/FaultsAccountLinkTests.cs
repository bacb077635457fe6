using System.Diagnostics;
using LinkFunctions.Storage;
using LinkFunctions.Tests.EndToEnd;
using LinkFunctions.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// Every Cosmos request of a fresh link's accountLink delivery fails in turn, in every way (<see cref="CosmosFault"/>),
/// then LINE redelivers the same event. After the faulted delivery: a 200 means the link is stored, a 5xx means it
/// could not be, and either the link is visible both ways or the nonce is still pending (never spent without its
/// link). After the redelivery: one link, at most one reply, one history entry.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class FaultsAccountLinkTests(CosmosFixture cosmos, ITestOutputHelper output) : AppTest(cosmos)
{
    private readonly CosmosFaults faults = new();

    private LinkingFlow Flow => new(App, Line);

    private ProofState State => new(App, Cosmos);

    protected override void ConfigureServices(IServiceCollection services) => faults.InstallIn(services, Cosmos.ConnectionString);

    public static TheoryData<CosmosFault> Faults() => [.. Enum.GetValues<CosmosFault>()];

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task AccountLink_FaultAtEachCosmosRequest_5xxOnlyWhenNotStoredNonceKeptAndRedeliveryLinksOnce(CosmosFault fault)
    {
        var points = await CleanRunAsync();
        var problems = new List<string>();
        var walked = 0;
        foreach (var (at, label) in CosmosFaults.Points(points, fault))
        {
            walked++;
            problems.AddRange(await FaultThenRedeliverAsync(at, fault, label));
        }

        ProofRuns.Report(output, problems, $"accountLink, fresh link: {walked} fault points x {fault}, {points.Count} requests per delivery, all consistent");
    }

    /// <summary>The requests of one clean fresh-link delivery: the fault points.</summary>
    private async Task<IReadOnlyList<string>> CleanRunAsync()
    {
        await State.WarmAsync();
        var (line, user) = (WebhookBodies.NewLineUserId(), ProofRuns.NewServiceUser());
        var nonce = await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(line), user);
        faults.Arm();
        Assert.Equal(200, HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(line, nonce)))));
        faults.Disarm();
        Assert.True(await State.LinkedAsync(line, user));
        var points = faults.Requests;
        Assert.Contains(points, p => p.StartsWith("PUT transient nonce", StringComparison.Ordinal));
        output.WriteLine("fresh link requests: " + string.Join(", ", points));
        return points;
    }

    private async Task<List<string>> FaultThenRedeliverAsync(int at, CosmosFault fault, string label)
    {
        var problems = new List<string>();
        var (line, user) = (WebhookBodies.NewLineUserId(), ProofRuns.NewServiceUser());
        var nonce = await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(line), user);
        var accountLink = WebhookBodies.AccountLink(line, nonce);
        var replies = Line.CallsTo("/v2/bot/message/reply").Count;

        faults.Arm(at, fault);
        var clock = Stopwatch.StartNew();
        var first = HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(accountLink)));
        clock.Stop();
        faults.Disarm();

        var linked = await State.LinkedAsync(line, user);
        var stored = await State.NonceAsync(nonce);
        if (first is not (200 or 503))
        {
            problems.Add($"{label}: answered {first}");
        }

        if (first == 200 && !linked)
        {
            problems.Add($"{label}: answered 200 but the link is not stored");
        }

        if (!linked && stored?.Status != NonceStates.Pending)
        {
            problems.Add($"{label}: nonce {stored?.Status ?? "gone"} without its link");
        }

        problems.AddRange((await State.DisagreementsAsync([line], [user])).Select(p => $"{label}: {p}"));
        if (clock.Elapsed > ProofRuns.WebhookAnswerBound)
        {
            problems.Add($"{label}: answered after {clock.ElapsedMilliseconds} ms");
        }

        var consumedByFirst = stored?.Status == NonceStates.Consumed;
        accountLink["deliveryContext"] = new { isRedelivery = true };
        var second = HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(accountLink)));
        stored = await State.NonceAsync(nonce);
        if (second != 200 || !await State.LinkedAsync(line, user) || stored?.Status != NonceStates.Consumed
            || stored.ConsumedByEventId != (string)accountLink["webhookEventId"]!)
        {
            problems.Add($"{label}: redelivery answered {second}, nonce {stored?.Status}, linked {await State.LinkedAsync(line, user)}");
        }

        // Only the delivery that consumed the nonce replies: none when the first consumed it but lost the answer.
        var expectedReplies = first == 200 || !consumedByFirst ? 1 : 0;
        var sent = Line.CallsTo("/v2/bot/message/reply").Count - replies;
        if (sent != expectedReplies)
        {
            problems.Add($"{label}: {sent} linked replies, expected {expectedReplies}");
        }

        var history = await State.AuditAsync(user);
        if (history.Count != 1 || history[0].Action != "linked")
        {
            problems.Add($"{label}: history {string.Join(", ", history.Select(h => h.Action))}");
        }

        return problems;
    }
}
