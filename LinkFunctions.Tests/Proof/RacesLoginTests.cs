using LinkFunctions.Login;
using LinkFunctions.Tests.EndToEnd;
using LinkFunctions.Tests.TestSupport;
using Xunit.Abstractions;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// LINE Login against the Messaging API for the same service user, each with a different LINE user, at once and
/// repeated (the same LINE user across methods is raced in EndToEnd/LineLoginHardeningTests). One link wins, both of
/// its halves agree, and the losing LINE user shows no link.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class RacesLoginTests(CosmosFixture cosmos, ITestOutputHelper output) : AppTest(cosmos)
{
    private LinkingFlow Links => new(App, Line);

    private LineLoginFlow Login => new(App, Line);

    private ProofState State => new(App, Cosmos);

    protected override void ConfigureSettings(Dictionary<string, string?> settings)
    {
        LineLoginFlow.Settings(settings);
        ProofRuns.RaceSettings(settings);
    }

    [Fact]
    public async Task LineLoginAgainstMessagingApi_SameServiceUser_OneWinnerBothHalvesAgree()
    {
        await State.WarmAsync();
        var iterations = ProofRuns.Iterations(ci: 20);
        var byLogin = 0;
        var problems = await ProofRuns.RepeatAsync(iterations, async () =>
        {
            var (viaMessaging, viaLogin, user) = (WebhookBodies.NewLineUserId(), WebhookBodies.NewLineUserId(), ProofRuns.NewServiceUser());
            var nonce = await Links.OpenLinkingUrlAsync(await Links.SendKeywordAsync(viaMessaging), user);
            var started = await Login.StartAsync(user);
            var authorization = Line.Authorize(started.AuthorizeUrl, viaLogin);

            var webhook = Links.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(viaMessaging, nonce)));
            var callback = Login.CallbackAsync(authorization, started.Cookie);
            await Task.WhenAll(webhook, callback);

            var problems = await State.DisagreementsAsync([viaMessaging, viaLogin], [user]);
            var winner = (await State.ByUserAsync(user))?.LineUserId;
            var loser = winner == viaLogin ? viaMessaging : viaLogin;
            if (HttpRequests.Status(await webhook) != 200 || winner is null || await State.ByLineAsync(loser) is not null)
            {
                problems.Add($"webhook {HttpRequests.Status(await webhook)}, winner {(winner is null ? "none" : "found")}, the loser {(await State.ByLineAsync(loser) is null ? "unlinked" : "still linked")}");
            }

            if (winner == viaLogin)
            {
                byLogin++;
                if (LineLoginFlow.Result((await callback).Result) != LoginResults.Linked)
                {
                    problems.Add("LINE Login won but did not answer linked");
                }
            }

            return problems;
        });

        ProofRuns.Report(output, problems, $"LINE Login against Messaging API, one service user: {iterations} iterations ({byLogin} won by LINE Login), 0 inconsistencies");
    }
}
