using System.Text.Json;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using LinkFunctions.Tests.TestSupport;
using Microsoft.Azure.Cosmos;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// What the app's own lookups, the nonce and the audit say after a flow: the proof suites state their invariants on
/// it. Reads go through <see cref="LinkReader"/> (what a caller sees), and the audit through the fixture's own client
/// so that no injected fault touches them.
/// </summary>
public sealed class ProofState(TestApp app, CosmosFixture cosmos)
{
    private readonly LinkReader reader = app.Get<LinkReader>();
    private readonly ProviderKey provider = app.Get<ProviderKey>();

    /// <summary>
    /// Opens the app's Cosmos client and issues its channel token: on a loaded machine a cold start can spend the
    /// first webhook's whole budget, and with it the keyword reply a flow waits for.
    /// </summary>
    public async Task WarmAsync()
    {
        await ByLineAsync(WebhookBodies.NewLineUserId());
        await app.Get<LinkFunctions.LineApi.ChannelAccessTokenProvider>().GetAsync(CancellationToken.None);
    }

    public Task<LinkView?> ByLineAsync(string lineUserId) => reader.FindByLineUserAsync(lineUserId, CancellationToken.None);

    public Task<LinkView?> ByUserAsync(string serviceUserId) => reader.FindByServiceUserAsync(serviceUserId, CancellationToken.None);

    /// <summary>True when the pair is linked and both lookups say so with the same linkId.</summary>
    public async Task<bool> LinkedAsync(string lineUserId, string serviceUserId)
    {
        var (byLine, byUser) = (await ByLineAsync(lineUserId), await ByUserAsync(serviceUserId));
        return byLine?.ServiceUserId == serviceUserId && byUser?.LineUserId == lineUserId && byLine.LinkId == byUser.LinkId;
    }

    /// <summary>
    /// Every lookup whose answer the other side does not confirm: a LINE user shown linked to a service user who is
    /// not shown linked back (or to another link), and the reverse. Empty means no orphan half is visible.
    /// </summary>
    public async Task<List<string>> DisagreementsAsync(IEnumerable<string> lineUsers, IEnumerable<string> serviceUsers)
    {
        var problems = new List<string>();
        foreach (var line in lineUsers)
        {
            if (await ByLineAsync(line) is { } view && await ByUserAsync(view.ServiceUserId) is var back
                && (back?.LineUserId != line || back.LinkId != view.LinkId))
            {
                problems.Add($"LINE user {line[..9]} shows {view.ServiceUserId}, which shows {back?.LineUserId[..9] ?? "no link"}");
            }
        }

        foreach (var user in serviceUsers)
        {
            if (await ByUserAsync(user) is { } view && await ByLineAsync(view.LineUserId) is var back
                && (back?.ServiceUserId != user || back.LinkId != view.LinkId))
            {
                problems.Add($"service user {user} shows {view.LineUserId[..9]}, which shows {back?.ServiceUserId ?? "no link"}");
            }
        }

        return problems;
    }

    public async Task<NonceDocument?> NonceAsync(string nonce) =>
        (await app.Get<ITransientRepository>().ReadNonceAsync(provider.Nonce(nonce), CancellationToken.None))?.Document;

    /// <summary>The service user's history entries, as (action, linkId).</summary>
    public async Task<List<(string Action, string? LinkId)>> AuditAsync(string serviceUserId)
    {
        var container = cosmos.Client.GetContainer(cosmos.DatabaseName, CosmosContainers.Audit.Name);
        var entries = new List<(string, string?)>();
        using var query = container.GetItemQueryStreamIterator(
            "SELECT * FROM c", requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(provider.AuditPartition(serviceUserId)) });
        while (query.HasMoreResults)
        {
            using var page = await query.ReadNextAsync();
            page.EnsureSuccessStatusCode();
            using var json = await JsonDocument.ParseAsync(page.Content);
            foreach (var entry in json.RootElement.GetProperty("Documents").EnumerateArray())
            {
                entries.Add((entry.GetProperty("action").GetString()!, entry.TryGetProperty("linkId", out var id) ? id.GetString() : null));
            }
        }

        return entries;
    }
}
