using System.Text.Json;
using LinkFunctions.Linking;
using LinkFunctions.Login;
using LinkFunctions.Storage;
using LinkFunctions.Tests.TestSupport;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;

namespace LinkFunctions.Tests.EndToEnd;

/// <summary>
/// Erasure end to end: afterwards no document in any container of the database (listed from Cosmos, so a container
/// added later is covered too) holds the user's IDs, raw or in a form the app can correlate.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class ErasureFlowTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    private readonly CapturingLoggerProvider logs = new();

    private LifecycleFlow Flow => new(App, Line);

    private LineLoginFlow Login => new(App, Line);

    protected override void ConfigureSettings(Dictionary<string, string?> settings) => LineLoginFlow.Settings(settings);

    protected override void ConfigureServices(IServiceCollection services) => logs.AddTo(services);

    /// <summary>Every document of every container in the database, as raw JSON.</summary>
    private async Task<List<(string Container, JsonElement Document)>> AllDocumentsAsync()
    {
        var documents = new List<(string, JsonElement)>();
        var database = Cosmos.Client.GetDatabase(Cosmos.DatabaseName);
        using var containers = database.GetContainerQueryIterator<ContainerProperties>();
        while (containers.HasMoreResults)
        {
            foreach (var properties in await containers.ReadNextAsync())
            {
                var container = new DocumentContainer(database.GetContainer(properties.Id));
                await foreach (var document in container.QueryAllAsync(new QueryDefinition("SELECT * FROM c"), null, default))
                {
                    documents.Add((properties.Id, document));
                }
            }
        }

        return documents;
    }

    /// <summary>Fails naming each document that holds an ID raw, as its SHA-256 or log hash, or as a salted hash that matches it.</summary>
    private async Task AssertNoTraceAsync(IReadOnlyDictionary<string, string> ids)
    {
        var documents = await AllDocumentsAsync();
        Assert.NotEmpty(documents);
        var traces = new List<string>();
        foreach (var (container, document) in documents)
        {
            var text = document.GetRawText();
            foreach (var (name, id) in ids)
            {
                if (new[] { id, ProviderKey.Sha256Hex(id), LogIds.Hash(id) }.Any(form => text.Contains(form, StringComparison.Ordinal))
                    || (document.TryGetProperty("hashSalt", out var salt) && document.TryGetProperty("lineUserIdHash", out var hash)
                        && hash.GetString() == ProviderKey.Sha256Hex(salt.GetString() + id)))
                {
                    traces.Add($"{name} in {container}: {text}");
                }
            }
        }

        Assert.True(traces.Count == 0, string.Join("\n", traces));
    }

    [Fact]
    public async Task Erase_AfterLinkRelinkUnlinkRelinkAndAPendingLink_NoTraceInAnyContainerAndGrantDeauthorized()
    {
        var customer = $"customer-{Guid.NewGuid():N}";
        var (first, second, third, pending) = (WebhookBodies.NewLineUserId(), WebhookBodies.NewLineUserId(), WebhookBodies.NewLineUserId(), WebhookBodies.NewLineUserId());
        await Flow.LinkAsync(first, customer);
        await Flow.LinkAsync(second, customer);
        Assert.Equal(204, await Flow.UnlinkAsync(customer));
        Assert.Equal(LoginResults.Linked, await Login.LinkAsync(customer, third));
        await Flow.Linking.OpenLinkingUrlAsync(await Flow.Linking.SendKeywordAsync(pending), customer);
        Assert.Equal(customer, (await Flow.Linking.FindByLineUserAsync(third))?.ServiceUserId);
        Assert.NotEmpty((await Flow.HistoryPageAsync(customer)).Items);

        Assert.Equal(204, await Flow.EraseAsync(customer));

        await AssertNoTraceAsync(new Dictionary<string, string>
        {
            ["service user"] = customer, ["first LINE user"] = first, ["second LINE user"] = second, ["third LINE user"] = third, ["pending LINE user"] = pending,
        });
        Assert.Null(await Flow.Linking.FindByLineUserAsync(third));
        Assert.Empty((await Flow.HistoryPageAsync(customer)).Items);
        Assert.Equal(LineFake.LoginAccessToken, Assert.Single(Line.Deauthorizations).UserAccessToken);
        Assert.Contains(logs.Entries, e => e.Text.StartsWith("Erased service user", StringComparison.Ordinal));
        LeakScan.AssertAbsent(
            logs.Entries.Select(e => $"[{e.Category} {e.Level}] {e.Text}"),
            new Dictionary<string, string>(LeakScan.ChannelSecrets())
            {
                ["service user ID"] = customer, ["LINE user ID"] = third, ["first LINE user ID"] = first,
                ["user access token"] = LineFake.LoginAccessToken, ["login channel token"] = LineFake.LoginChannelAccessToken,
            });
    }

    [Fact]
    public async Task Erase_TwiceAndForAUserWithNoData_204EveryTime()
    {
        var customer = $"customer-{Guid.NewGuid():N}";
        await Flow.LinkAsync(WebhookBodies.NewLineUserId(), customer);

        Assert.Equal(204, await Flow.EraseAsync(customer));
        Assert.Equal(204, await Flow.EraseAsync(customer));
        Assert.Equal(204, await Flow.EraseAsync($"never-seen-{Guid.NewGuid():N}"));
        Assert.Equal(204, await Flow.EraseLineUserAsync(WebhookBodies.NewLineUserId()));
    }

    [Fact]
    public async Task Erase_FormerLineUserNowLinkedElsewhere_OtherLinkStaysAndKeepsNoTrace()
    {
        var (customer, other, lineUserId) = ($"customer-{Guid.NewGuid():N}", $"other-{Guid.NewGuid():N}", WebhookBodies.NewLineUserId());
        await Flow.LinkAsync(lineUserId, customer);
        await Flow.LinkAsync(lineUserId, other);

        Assert.Equal(204, await Flow.EraseAsync(customer));

        await AssertNoTraceAsync(new Dictionary<string, string> { ["service user"] = customer });
        Assert.Equal(other, (await Flow.Linking.FindByLineUserAsync(lineUserId))?.ServiceUserId);
    }

    [Fact]
    public async Task EraseLineUser_Linked_NoTraceAnywhereAndTheServiceUserUnlinked()
    {
        var (customer, lineUserId) = ($"customer-{Guid.NewGuid():N}", WebhookBodies.NewLineUserId());
        await Flow.LinkAsync(lineUserId, customer);

        Assert.Equal(204, await Flow.EraseLineUserAsync(lineUserId));
        Assert.Equal(204, await Flow.EraseLineUserAsync(lineUserId));

        await AssertNoTraceAsync(new Dictionary<string, string> { ["LINE user"] = lineUserId });
        Assert.Null(await Flow.Linking.FindByServiceUserAsync(customer));
    }
}
