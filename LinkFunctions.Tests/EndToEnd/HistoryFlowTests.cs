using LinkFunctions.Linking;
using LinkFunctions.Storage;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.WebUtilities;

namespace LinkFunctions.Tests.EndToEnd;

/// <summary>GET /api/links/users/{serviceUserId}/history over a real history in the local Cosmos server.</summary>
[Collection(CosmosCollection.Name)]
public sealed class HistoryFlowTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    private LifecycleFlow Flow => new(App, Line);

    /// <summary>link (L1) → relink to L2 (L1's link replaced) → unlink: four entries.</summary>
    private async Task<(string Customer, string First, string Second)> LinkReplaceUnlinkAsync()
    {
        var (first, second, customer) = (WebhookBodies.NewLineUserId(), WebhookBodies.NewLineUserId(), $"customer-{Guid.NewGuid():N}");
        await Flow.LinkAsync(first, customer);
        await Flow.LinkAsync(second, customer);
        Assert.Equal(204, await Flow.UnlinkAsync(customer));
        return (customer, first, second);
    }

    private static bool HashOf(HistoryEntry entry, string lineUserId) =>
        entry.LineUserIdHash == ProviderKey.Sha256Hex(entry.HashSalt + lineUserId);

    [Fact]
    public async Task History_LinkReplaceUnlink_NewestFirstWithHashedCounterparts()
    {
        var (customer, first, second) = await LinkReplaceUnlinkAsync();

        var page = await Flow.HistoryPageAsync(customer);

        Assert.Equal(["unlinked", "linked", "replaced", "linked"], page.Items.Select(e => e.Action));
        Assert.Null(page.ContinuationToken);
        Assert.All(page.Items, e => Assert.Equal(AccountLinkService.Method, e.Method));
        Assert.True(page.Items.Zip(page.Items.Skip(1)).All(p => p.First.At >= p.Second.At));
        Assert.Equal([true, true, false, false], page.Items.Select(e => HashOf(e, second)));
        Assert.Equal([false, false, true, true], page.Items.Select(e => HashOf(e, first)));
        Assert.Equal("service", page.Items[0].Cause);
        Assert.Equal(page.Items[1].LinkId, page.Items[2].ReplacedBy);
        var raw = System.Text.Json.JsonSerializer.Serialize(page, LinkFunctions.Hosting.ApiJsonContext.Default.LinkHistoryResponse);
        Assert.DoesNotContain(first, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(second, raw, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task History_SmallPageSize_PagesCoverTheHistoryOnceInOrder(int pageSize)
    {
        var (customer, _, _) = await LinkReplaceUnlinkAsync();
        var all = (await Flow.HistoryPageAsync(customer)).Items;

        var paged = new List<HistoryEntry>();
        var pages = 0;
        string? token = null;
        do
        {
            var query = QueryHelpers.AddQueryString("", "pageSize", pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var page = await Flow.HistoryPageAsync(customer, token is null ? query : QueryHelpers.AddQueryString(query, "continuationToken", token));
            Assert.InRange(page.Items.Count, 1, pageSize);
            paged.AddRange(page.Items);
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(all, paged);
        Assert.Equal((all.Count + pageSize - 1) / pageSize, pages);
    }

    [Theory]
    [InlineData("continuationToken=garbage%21%21")]
    [InlineData("continuationToken=")]
    [InlineData("continuationToken=aGVsbG8")]
    [InlineData("continuationToken=MDAwMDAwMDAwMDAwMDAwMDAwMC1rZXk")]
    [InlineData("pageSize=0")]
    [InlineData("pageSize=101")]
    [InlineData("pageSize=abc")]
    [InlineData("pageSize=-1")]
    [InlineData("pageSize=1&pageSize=2")]
    public async Task History_BadQuery_400Problem(string query)
    {
        var result = await Flow.HistoryAsync($"customer-{Guid.NewGuid():N}", "?" + query);

        Assert.Equal(400, HttpRequests.Status(result));
        Assert.Contains("invalid-", HttpRequests.Content(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_TamperedToken_400NotA5xx()
    {
        var (customer, _, _) = await LinkReplaceUnlinkAsync();
        var token = (await Flow.HistoryPageAsync(customer, "?pageSize=1")).ContinuationToken!;

        var result = await Flow.HistoryAsync(customer, "?continuationToken=" + token[..^4] + "AAAA");

        Assert.Equal(400, HttpRequests.Status(result));
    }

    [Fact]
    public async Task History_UnknownUser_EmptyListNot404()
    {
        var page = await Flow.HistoryPageAsync($"nobody-{Guid.NewGuid():N}");

        Assert.Empty(page.Items);
        Assert.Null(page.ContinuationToken);
    }
}
