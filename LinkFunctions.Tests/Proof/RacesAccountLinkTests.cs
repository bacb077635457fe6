using LinkFunctions.Storage;
using LinkFunctions.Tests.EndToEnd;
using LinkFunctions.Tests.TestSupport;
using Xunit.Abstractions;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// The link protocol of design §6 under concurrent and out-of-order accountLink deliveries, each race repeated with
/// fresh ids (<see cref="ProofRuns.Iterations"/>). The higher event <c>timestamp</c> wins; both halves always agree.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class RacesAccountLinkTests(CosmosFixture cosmos, ITestOutputHelper output) : AppTest(cosmos)
{
    private LinkingFlow Flow => new(App, Line);

    private ProofState State => new(App, Cosmos);

    protected override void ConfigureSettings(Dictionary<string, string?> settings) => ProofRuns.RaceSettings(settings);

    [Fact]
    public async Task AccountLink_OneEventDeliveredHundredTimesAtOnce_OneLinkOneReplyOneHistoryEntry()
    {
        await State.WarmAsync();
        var iterations = ProofRuns.Iterations(ci: 10);
        var timedOut = 0;
        var problems = await ProofRuns.RepeatAsync(iterations, async () =>
        {
            var (line, user) = (WebhookBodies.NewLineUserId(), ProofRuns.NewServiceUser());
            var nonce = await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(line), user);
            var accountLink = WebhookBodies.AccountLink(line, nonce);
            var replies = Line.CallsTo("/v2/bot/message/reply").Count;

            var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Flow.WebhookAsync(
                WebhookBodies.Body(new Dictionary<string, object?>(accountLink) { ["deliveryContext"] = new { isRedelivery = i > 0 } })))
                .Select(async t => HttpRequests.Status(await t)));

            var problems = new List<string>();
            if (answers.Any(a => a is not (200 or 503)))
            {
                problems.Add("answers " + string.Join(",", answers.Where(a => a != 200).Distinct()));
            }

            if (answers.Contains(503))
            {
                // A copy that ran out of budget under this load asks LINE to redeliver; that redelivery must be a duplicate.
                timedOut += answers.Count(a => a == 503);
                var again = HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(accountLink)));
                if (again != 200)
                {
                    problems.Add($"the redelivery after a 503 answered {again}");
                }
            }

            var sent = Line.CallsTo("/v2/bot/message/reply").Count - replies;
            var history = await State.AuditAsync(user);
            var stored = await State.NonceAsync(nonce);
            if (!await State.LinkedAsync(line, user) || sent != 1 || history.Count != 1 || history[0].Action != "linked"
                || stored?.ConsumedByEventId != (string)accountLink["webhookEventId"]!)
            {
                problems.Add($"linked {await State.LinkedAsync(line, user)}, {sent} replies, history [{string.Join(",", history.Select(h => h.Action))}], nonce {stored?.Status}");
            }

            return problems;
        });

        ProofRuns.Report(output, problems, $"100 parallel deliveries of one accountLink x {iterations} iterations, 0 inconsistencies ({timedOut} copies out of budget answered 503, their redelivery 200)");
    }

    /// <param name="sameLineUser">Two nonces for one LINE user (two service users), or two LINE users for one service user.</param>
    /// <param name="concurrent">Both at once, or the older event delivered last.</param>
    [Theory]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public async Task AccountLink_TwoCompetingLinks_NewerTimestampStandsAndBothHalvesAgree(bool sameLineUser, bool concurrent)
    {
        await State.WarmAsync();
        var iterations = ProofRuns.Iterations(ci: 20);
        var problems = await ProofRuns.RepeatAsync(iterations, async () =>
        {
            var line = WebhookBodies.NewLineUserId();
            var user = ProofRuns.NewServiceUser();
            (string Line, string User) older = (line, user);
            (string Line, string User) newer = sameLineUser ? (line, ProofRuns.NewServiceUser()) : (WebhookBodies.NewLineUserId(), user);
            var olderNonce = await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(older.Line), older.User);
            var newerNonce = await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(newer.Line), newer.User);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var olderBody = WebhookBodies.Body(WebhookBodies.AccountLink(older.Line, olderNonce, timestamp: now - 1000));
            var newerBody = WebhookBodies.Body(WebhookBodies.AccountLink(newer.Line, newerNonce, timestamp: now));

            int[] answers = concurrent
                ? await Task.WhenAll(Flow.WebhookAsync(olderBody), Flow.WebhookAsync(newerBody)).ContinueWith(t => t.Result.Select(HttpRequests.Status).ToArray())
                : [HttpRequests.Status(await Flow.WebhookAsync(newerBody)), HttpRequests.Status(await Flow.WebhookAsync(olderBody))];

            var problems = await State.DisagreementsAsync([older.Line, newer.Line], [older.User, newer.User]);
            if (answers.Any(a => a != 200) || !await State.LinkedAsync(newer.Line, newer.User))
            {
                problems.Add($"answers {string.Join(",", answers)}; the newer link {(await State.LinkedAsync(newer.Line, newer.User) ? "stands" : "does not stand")}");
            }

            var displaced = sameLineUser ? await State.ByUserAsync(older.User) : await State.ByLineAsync(older.Line);
            if (displaced is not null)
            {
                problems.Add("the older link's other party still shows a link");
            }

            if ((await State.NonceAsync(olderNonce))?.Status == NonceStates.Pending)
            {
                problems.Add("the older nonce is still pending");
            }

            return problems;
        });

        var what = sameLineUser ? "two nonces for one LINE user" : "two LINE users for one service user";
        ProofRuns.Report(output, problems, $"{what}, {(concurrent ? "at once" : "older delivered last")}: {iterations} iterations, 0 inconsistencies");
    }
}
