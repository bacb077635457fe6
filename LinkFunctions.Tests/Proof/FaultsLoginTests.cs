using System.Net;
using LinkFunctions.Login;
using LinkFunctions.Tests.EndToEnd;
using LinkFunctions.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// The LINE Login callback when LINE's token endpoint fails or stalls, and with each of its Cosmos requests failing in
/// turn. The callback never answers 500; "linked" means linked both ways; and the user can always finish: the same
/// callback again when the state was not spent, otherwise a new login (LINE's code is single use, so a state spent
/// on an exchange cannot be handed back).
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class FaultsLoginTests(CosmosFixture cosmos, ITestOutputHelper output) : AppTest(cosmos)
{
    private readonly CosmosFaults faults = new();

    private LineLoginFlow Login => new(App, Line);

    private ProofState State => new(App, Cosmos);

    protected override void ConfigureSettings(Dictionary<string, string?> settings) => LineLoginFlow.Settings(settings);

    protected override void ConfigureServices(IServiceCollection services) => faults.InstallIn(services, Cosmos.ConnectionString);

    /// <param name="failure">The token endpoint's status, or 0 for a 3 s stall.</param>
    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    [InlineData(0)]
    public async Task Callback_TokenEndpointFailsOrStalls_FailedOrLinkedConsistentlyAndANewLoginLinks(int failure)
    {
        var (line, user) = (WebhookBodies.NewLineUserId(), ProofRuns.NewServiceUser());
        if (failure == 0)
        {
            Line.StallFor = call => call.Path == "/oauth2/v2.1/token" ? TimeSpan.FromSeconds(3) : TimeSpan.Zero;
        }
        else
        {
            Line.Intercept = call => call.Path == "/oauth2/v2.1/token" ? (HttpStatusCode)failure : null;
        }

        var result = await Login.LinkAsync(user, line);

        // A stall may outlast the attempt timeout or not; either way the answer must match what is stored.
        Assert.Contains(result, new[] { LoginResults.Failed, failure == 0 ? LoginResults.Linked : LoginResults.Failed });
        Assert.Equal(result == LoginResults.Linked, await State.LinkedAsync(line, user));
        Assert.Empty(await State.DisagreementsAsync([line], [user]));
        Assert.Single(Line.CallsTo("/oauth2/v2.1/token"));
        (Line.StallFor, Line.Intercept) = (null, null);
        Assert.Equal(LoginResults.Linked, await Login.LinkAsync(user, line));
        output.WriteLine($"login token endpoint {(failure == 0 ? "stalled 3 s" : failure.ToString())}: {result}, then a new login linked");
    }

    [Theory]
    [InlineData(CosmosFault.Unavailable)]
    [InlineData(CosmosFault.AnswerLost)]
    public async Task Callback_FaultAtEachCosmosRequest_Never500ConsistentAndTheUserCanFinish(CosmosFault fault)
    {
        var points = await CleanRunAsync();
        var problems = new List<string>();
        var (walked, sameCallback, pessimistic) = (0, 0, 0);
        foreach (var (at, label) in CosmosFaults.Points(points, fault))
        {
            walked++;
            var (line, user) = (WebhookBodies.NewLineUserId(), ProofRuns.NewServiceUser());
            var started = await Login.StartAsync(user);
            var authorization = Line.Authorize(started.AuthorizeUrl, line);
            faults.Arm(at, fault);
            var (_, result) = await Login.CallbackAsync(authorization, started.Cookie);
            faults.Disarm();

            var status = HttpRequests.Status(result);
            var linked = await State.LinkedAsync(line, user);
            var answer = status == 302 ? LineLoginFlow.Result(result) : status.ToString();
            if (fault == CosmosFault.AnswerLost && linked && answer == LoginResults.Failed)
            {
                // The commit was stored but its answer lost: the app cannot tell, so it says "failed". The link stands.
                pessimistic++;
            }
            else if (status is not (302 or 503) || (answer == LoginResults.Linked) != linked)
            {
                problems.Add($"{label}: answered {answer}, linked {linked}");
            }

            problems.AddRange((await State.DisagreementsAsync([line], [user])).Select(p => $"{label}: {p}"));
            if (linked)
            {
                continue;
            }

            // The same callback again (a reload) finishes it while the state is unspent; otherwise a new login must.
            var (_, again) = await Login.CallbackAsync(authorization, started.Cookie);
            if (HttpRequests.Status(again) == 302 && LineLoginFlow.Result(again) == LoginResults.Linked)
            {
                sameCallback++;
            }
            else if (await Login.LinkAsync(user, line) != LoginResults.Linked)
            {
                problems.Add($"{label}: neither the same callback nor a new login linked");
            }

            if (!await State.LinkedAsync(line, user))
            {
                problems.Add($"{label}: not linked after the user finished");
            }
        }

        ProofRuns.Report(output, problems,
            $"LINE Login callback: {walked} fault points x {fault}, {points.Count} requests; never 500, consistent, {sameCallback} finished by the same callback, the rest by a new login; {pessimistic} answered failed though the link was stored");
    }

    private async Task<IReadOnlyList<string>> CleanRunAsync()
    {
        var (line, user) = (WebhookBodies.NewLineUserId(), ProofRuns.NewServiceUser());
        var started = await Login.StartAsync(user);
        var authorization = Line.Authorize(started.AuthorizeUrl, line);
        faults.Arm();
        Assert.Equal(LoginResults.Linked, LineLoginFlow.Result((await Login.CallbackAsync(authorization, started.Cookie)).Result));
        faults.Disarm();
        output.WriteLine("callback requests: " + string.Join(", ", faults.Requests));
        return faults.Requests;
    }
}
