using LinkFunctions.Functions;
using LinkFunctions.Storage;
using LinkFunctions.Tests.EndToEnd;
using LinkFunctions.Tests.TestSupport;
using Xunit.Abstractions;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// Unlink racing a link (the same pair linked anew) and a replacement (another LINE user taking the service user),
/// repeated with fresh ids. Whatever the interleaving, both halves agree, the link that was unlinked never comes
/// back, and the party the replacement or the unlink ends is left with no link.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class RacesUnlinkTests(CosmosFixture cosmos, ITestOutputHelper output) : AppTest(cosmos)
{
    private LinkingFlow Flow => new(App, Line);

    private ProofState State => new(App, Cosmos);

    protected override void ConfigureSettings(Dictionary<string, string?> settings) => ProofRuns.RaceSettings(settings);

    private async Task<string> NonceAsync(string line, string user) => await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(line), user);

    private async Task<string> LinkAsync(string line, string user)
    {
        var nonce = await NonceAsync(line, user);
        Assert.Equal(200, HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(line, nonce)))));
        return ProviderKey.Sha256Hex(nonce);
    }

    [Fact]
    public async Task LinkAgainstUnlink_SamePair_ConsistentAndTheOldLinkNeverReturns()
    {
        await State.WarmAsync();
        var iterations = ProofRuns.Iterations(ci: 20);
        var (linkedAtEnd, unlinkedAtEnd) = (0, 0);
        var problems = await ProofRuns.RepeatAsync(iterations, async () =>
        {
            var (line, user) = (WebhookBodies.NewLineUserId(), ProofRuns.NewServiceUser());
            var oldLinkId = await LinkAsync(line, user);
            var nonce = await NonceAsync(line, user);

            var link = Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(line, nonce)));
            var unlink = App.Function<DeleteLinkFunction>().ByServiceUser(HttpRequests.Get($"/api/links/users/{user}"), user);
            await Task.WhenAll(link, unlink);

            var problems = await State.DisagreementsAsync([line], [user]);
            if (HttpRequests.Status(await link) != 200 || HttpRequests.Status(await unlink) != 204)
            {
                problems.Add($"answers {HttpRequests.Status(await link)} / {HttpRequests.Status(await unlink)}");
            }

            var view = await State.ByLineAsync(line);
            if (view?.LinkId == oldLinkId)
            {
                problems.Add("the unlinked link came back");
            }

            _ = view is null ? unlinkedAtEnd++ : linkedAtEnd++;
            return problems;
        });

        ProofRuns.Report(output, problems, $"link against unlink: {iterations} iterations ({linkedAtEnd} ended linked anew, {unlinkedAtEnd} unlinked), 0 inconsistencies");
    }

    [Fact]
    public async Task ReplacementAgainstUnlink_ConsistentAndTheReplacedLineUserEndsUnlinked()
    {
        await State.WarmAsync();
        var iterations = ProofRuns.Iterations(ci: 20);
        var problems = await ProofRuns.RepeatAsync(iterations, async () =>
        {
            var (line1, line2, user) = (WebhookBodies.NewLineUserId(), WebhookBodies.NewLineUserId(), ProofRuns.NewServiceUser());
            await LinkAsync(line1, user);
            var nonce = await NonceAsync(line2, user);

            var replacement = Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(line2, nonce)));
            var unlink = App.Function<DeleteLinkFunction>().ByLineUser(HttpRequests.Get($"/api/links/line-users/{line1}"), line1);
            await Task.WhenAll(replacement, unlink);

            var problems = await State.DisagreementsAsync([line1, line2], [user]);
            if (HttpRequests.Status(await replacement) != 200 || HttpRequests.Status(await unlink) != 204)
            {
                problems.Add($"answers {HttpRequests.Status(await replacement)} / {HttpRequests.Status(await unlink)}");
            }

            if (await State.ByLineAsync(line1) is not null)
            {
                problems.Add("the replaced and unlinked LINE user still shows a link");
            }

            if (await State.ByUserAsync(user) is { } view && view.LineUserId != line2)
            {
                problems.Add("the service user shows a link to the replaced LINE user");
            }

            return problems;
        });

        ProofRuns.Report(output, problems, $"replacement against unlink: {iterations} iterations, 0 inconsistencies");
    }
}
