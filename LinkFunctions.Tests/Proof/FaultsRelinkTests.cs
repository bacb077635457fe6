using LinkFunctions.Storage;
using LinkFunctions.Tests.EndToEnd;
using LinkFunctions.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// A relink through the webhook (one party already linked elsewhere) with each of its Cosmos requests failing in turn,
/// before or after Cosmos applied it. After the faulted delivery either the old link still holds both ways and the
/// new nonce is pending, or the new link holds and the displaced party shows no link; lookups always agree. The
/// redelivery finishes the relink.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class FaultsRelinkTests(CosmosFixture cosmos, ITestOutputHelper output) : AppTest(cosmos)
{
    private readonly CosmosFaults faults = new();

    private LinkingFlow Flow => new(App, Line);

    private ProofState State => new(App, Cosmos);

    protected override void ConfigureServices(IServiceCollection services) => faults.InstallIn(services, Cosmos.ConnectionString);

    /// <summary>The parties of one relink: (line1, user1) linked first, then the relink of <c>NewLine</c> to <c>NewUser</c>.</summary>
    private sealed record Parties(string Line1, string User1, string NewLine, string NewUser)
    {
        public static Parties Create(bool serviceUserMoves)
        {
            var (line1, user1) = (WebhookBodies.NewLineUserId(), ProofRuns.NewServiceUser());
            return serviceUserMoves
                ? new(line1, user1, WebhookBodies.NewLineUserId(), user1)
                : new(line1, user1, line1, ProofRuns.NewServiceUser());
        }

        public string[] LineUsers => [Line1, NewLine];

        public string[] ServiceUsers => [User1, NewUser];

        /// <summary>The party the relink takes away from the old link.</summary>
        public (string? Line, string? User) Displaced => NewLine == Line1 ? (null, User1) : (Line1, null);
    }

    public static TheoryData<bool, CosmosFault> Cases() => new()
    {
        { true, CosmosFault.Unavailable }, { true, CosmosFault.AnswerLost },
        { false, CosmosFault.Unavailable }, { false, CosmosFault.AnswerLost },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Relink_FaultAtEachCosmosRequest_OldOrNewLinkNeverNeitherAndRedeliveryFinishes(bool serviceUserMoves, CosmosFault fault)
    {
        var points = await RelinkRequestsAsync(serviceUserMoves);
        var problems = new List<string>();
        var walked = 0;
        foreach (var (at, label) in CosmosFaults.Points(points, fault))
        {
            walked++;
            problems.AddRange(await FaultThenRedeliverAsync(Parties.Create(serviceUserMoves), at, fault, label));
        }

        var name = serviceUserMoves ? "service user moves" : "LINE user moves";
        ProofRuns.Report(output, problems, $"relink ({name}): {walked} fault points x {fault}, {points.Count} requests per delivery, all consistent");
    }

    /// <summary>The keyword and the linking URL: returns the nonce LINE will send back.</summary>
    private async Task<string> NonceAsync(string line, string user) => await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(line), user);

    private async Task<IReadOnlyList<string>> RelinkRequestsAsync(bool serviceUserMoves)
    {
        await State.WarmAsync();
        var parties = Parties.Create(serviceUserMoves);
        await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(parties.Line1, await NonceAsync(parties.Line1, parties.User1))));
        var nonce = await NonceAsync(parties.NewLine, parties.NewUser);
        faults.Arm();
        Assert.Equal(200, HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(parties.NewLine, nonce)))));
        faults.Disarm();
        Assert.True(await State.LinkedAsync(parties.NewLine, parties.NewUser));
        output.WriteLine("relink requests: " + string.Join(", ", faults.Requests));
        return faults.Requests;
    }

    private async Task<List<string>> FaultThenRedeliverAsync(Parties parties, int at, CosmosFault fault, string label)
    {
        var problems = new List<string>();
        await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(parties.Line1, await NonceAsync(parties.Line1, parties.User1))));
        var nonce = await NonceAsync(parties.NewLine, parties.NewUser);
        var accountLink = WebhookBodies.AccountLink(parties.NewLine, nonce);

        faults.Arm(at, fault);
        var first = HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(accountLink)));
        faults.Disarm();

        problems.AddRange(await State.DisagreementsAsync(parties.LineUsers, parties.ServiceUsers));
        var oldHolds = await State.LinkedAsync(parties.Line1, parties.User1);
        var newHolds = await State.LinkedAsync(parties.NewLine, parties.NewUser);
        var pending = (await State.NonceAsync(nonce))?.Status == NonceStates.Pending;
        if (first == 200 ? !newHolds : !(newHolds || (oldHolds && pending)))
        {
            problems.Add($"answered {first}: old link {(oldHolds ? "holds" : "gone")}, new link {(newHolds ? "holds" : "absent")}, nonce {(pending ? "pending" : "spent")}");
        }

        if (newHolds)
        {
            problems.AddRange(await DisplacedStillLinkedAsync(parties));
        }

        accountLink["deliveryContext"] = new { isRedelivery = true };
        var second = HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(accountLink)));
        if (second != 200 || !await State.LinkedAsync(parties.NewLine, parties.NewUser))
        {
            problems.Add($"redelivery answered {second} and the new link {(await State.LinkedAsync(parties.NewLine, parties.NewUser) ? "holds" : "is absent")}");
        }

        problems.AddRange(await DisplacedStillLinkedAsync(parties));
        problems.AddRange(await State.DisagreementsAsync(parties.LineUsers, parties.ServiceUsers));
        var linkId = ProviderKey.Sha256Hex(nonce);
        var entries = (await State.AuditAsync(parties.NewUser)).Count(e => e.Action == "linked" && e.LinkId == linkId);
        if (entries != 1)
        {
            problems.Add($"{entries} 'linked' history entries for the relink");
        }

        return [.. problems.Select(p => $"{label}: {p}")];
    }

    private async Task<List<string>> DisplacedStillLinkedAsync(Parties parties)
    {
        var (line, user) = parties.Displaced;
        var problems = new List<string>();
        if (line is not null && await State.ByLineAsync(line) is not null)
        {
            problems.Add("the displaced LINE user still shows a link");
        }

        if (user is not null && await State.ByUserAsync(user) is not null)
        {
            problems.Add("the displaced service user still shows a link");
        }

        return problems;
    }
}
