using System.Net;
using LinkFunctions.Functions;
using LinkFunctions.Liff;
using LinkFunctions.Tests.EndToEnd;
using LinkFunctions.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// LIFF linking when LINE's JWKS is down or stalls, and with each Cosmos request failing in turn: never a 500, and an
/// ID token is never spent without its link, so the LIFF app can present the same token again and link.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class FaultsLiffTests(CosmosFixture cosmos, ITestOutputHelper output) : AppTest(cosmos)
{
    private readonly CosmosFaults faults = new();
    private readonly FakeTimeProvider keyTime = new(DateTimeOffset.UtcNow);

    private ProofState State => new(App, Cosmos);

    protected override void ConfigureSettings(Dictionary<string, string?> settings)
    {
        settings["Auth:Mode"] = "Delegated";
        settings.Remove("Auth:AllowUnverifiedPrincipalHeaders");
        settings["Liff:ChannelId"] = LiffIdTokens.LiffChannelId;
    }

    protected override void ConfigureServices(IServiceCollection services)
    {
        faults.InstallIn(services, Cosmos.ConnectionString);
        services.Replace(ServiceDescriptor.Singleton(sp => ActivatorUtilities.CreateInstance<LiffSigningKeys>(sp, keyTime)));

        // Down from the start, so that the warm-up holds no signing keys either.
        Line.Intercept = call => call.Path == LineFake.JwksPath ? HttpStatusCode.ServiceUnavailable : null;
    }

    private async Task<int> LinkAsync(string idToken, string serviceUserId) => HttpRequests.Status(await App.Function<LiffLinkFunction>().Run(
        HttpRequests.PostJson("/api/links/liff", $$"""{"idToken":"{{idToken}}","serviceUserId":"{{serviceUserId}}"}""")));

    [Fact]
    public async Task Link_JwksDown_503ThenTheSameIdTokenLinksOnceLineIsBack()
    {
        var (line, user) = (WebhookBodies.NewLineUserId(), ProofRuns.NewServiceUser());
        var token = Line.Liff.Sign(LiffIdTokens.Claims(line, DateTimeOffset.UtcNow));

        var down = await LinkAsync(token, user);

        Assert.Equal(503, down);
        Assert.False(await State.LinkedAsync(line, user));
        Line.Intercept = null;
        WaitOutKeyRetry();
        Assert.Equal(200, await LinkAsync(token, user));
        Assert.True(await State.LinkedAsync(line, user));
        output.WriteLine("LIFF with the JWKS down (503): 503, then the same ID token linked");
    }

    [Theory]
    [InlineData(CosmosFault.Unavailable)]
    [InlineData(CosmosFault.AnswerLost)]
    public async Task Link_FaultAtEachCosmosRequest_Never500AndTheSameIdTokenLinksAfterwards(CosmosFault fault)
    {
        Line.Intercept = null;
        var points = await CleanRunAsync();
        var problems = new List<string>();
        var walked = 0;
        foreach (var (at, label) in CosmosFaults.Points(points, fault))
        {
            walked++;
            var (line, user) = (WebhookBodies.NewLineUserId(), ProofRuns.NewServiceUser());
            var token = Line.Liff.Sign(LiffIdTokens.Claims(line, DateTimeOffset.UtcNow));
            faults.Arm(at, fault);
            var status = await LinkAsync(token, user);
            faults.Disarm();
            var linked = await State.LinkedAsync(line, user);
            if (status is not (200 or 503) || (status == 200 && !linked))
            {
                problems.Add($"{label}: answered {status}, linked {linked}");
            }

            problems.AddRange((await State.DisagreementsAsync([line], [user])).Select(p => $"{label}: {p}"));
            if (!linked && (await LinkAsync(token, user) != 200 || !await State.LinkedAsync(line, user)))
            {
                problems.Add($"{label}: the ID token was spent without its link");
            }
        }

        ProofRuns.Report(output, problems, $"LIFF link: {walked} fault points x {fault}, {points.Count} requests; never 500, no ID token spent without its link");
    }

    private async Task<IReadOnlyList<string>> CleanRunAsync()
    {
        var (line, user) = (WebhookBodies.NewLineUserId(), ProofRuns.NewServiceUser());
        WaitOutKeyRetry();
        faults.Arm();
        Assert.Equal(200, await LinkAsync(Line.Liff.Sign(LiffIdTokens.Claims(line, DateTimeOffset.UtcNow)), user));
        faults.Disarm();
        output.WriteLine("LIFF link requests: " + string.Join(", ", faults.Requests));
        return faults.Requests;
    }

    /// <summary>The keys are not refetched for 10 s after a failure (a flood must not become a flood of JWKS calls): skip that wait.</summary>
    private void WaitOutKeyRetry() => keyTime.Advance(LiffSigningKeys.RetryAfterFailure + TimeSpan.FromSeconds(1));
}
