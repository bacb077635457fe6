using LinkFunctions.Functions;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace LinkFunctions.Tests.EndToEnd;

/// <summary>Unlink from every side through the whole app, against the local Cosmos server.</summary>
[Collection(CosmosCollection.Name)]
public sealed class UnlinkFlowTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    private LinkingFlow Flow => new(App, Line);

    private ProviderKey Provider => App.Get<ProviderKey>();

    /// <summary>Links through keyword, nonce redirect and accountLink (at <paramref name="timestamp"/>); returns the linkId.</summary>
    private async Task<string> LinkAsync(string lineUserId, string serviceUserId, long? timestamp = null)
    {
        var nonce = await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(lineUserId), serviceUserId);
        Assert.Equal(200, HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(lineUserId, nonce, timestamp: timestamp)))));
        return ProviderKey.Sha256Hex(nonce);
    }

    private static HttpRequest Delete(string path)
    {
        var request = HttpRequests.Get(path);
        request.Method = HttpMethods.Delete;
        return request;
    }

    private Task<int> DeleteByServiceUserAsync(string serviceUserId) => StatusOf(
        App.Function<DeleteLinkFunction>().ByServiceUser(Delete($"/api/links/users/{serviceUserId}"), serviceUserId));

    private Task<int> DeleteByLineUserAsync(string lineUserId) => StatusOf(
        App.Function<DeleteLinkFunction>().ByLineUser(Delete($"/api/links/line-users/{lineUserId}"), lineUserId));

    private static async Task<int> StatusOf(Task<Microsoft.AspNetCore.Mvc.IActionResult> result) => HttpRequests.Status(await result);

    private async Task<LinkDocument?> HalfAsync(string id) => (await App.Get<ILinkRepository>().ReadAsync(id, default))?.Document;

    private async Task<AuditDocument?> UnlinkedEntryAsync(string serviceUserId, string linkId) =>
        (await App.Get<CosmosDatabase>().Audit.ReadAsync(
            $"{LinkUnlinker.Action}:{ProviderKey.Sha256Hex(linkId)}", Provider.AuditPartition(serviceUserId), StorageJsonContext.Default.AuditDocument, default))?.Document;

    private async Task AssertTombstonedAsync(string lineUserId, string serviceUserId)
    {
        Assert.Null(await Flow.FindByLineUserAsync(lineUserId));
        Assert.Null(await Flow.FindByServiceUserAsync(serviceUserId));
        Assert.Equal(LinkStates.Unlinked, (await HalfAsync(Provider.LineSide(lineUserId)))?.State);
        Assert.Equal(LinkStates.Unlinked, (await HalfAsync(Provider.UserSide(serviceUserId)))?.State);
    }

    [Fact]
    public async Task DeleteByServiceUser_Twice_204BothTimesTombstonesAndOneAuditEntry()
    {
        var (lineUserId, customer) = (WebhookBodies.NewLineUserId(), $"customer-{Guid.NewGuid():N}");
        var linkId = await LinkAsync(lineUserId, customer);

        Assert.Equal(204, await DeleteByServiceUserAsync(customer));
        var tombstone = await HalfAsync(Provider.UserSide(customer));
        Assert.Equal(204, await DeleteByServiceUserAsync(customer));

        await AssertTombstonedAsync(lineUserId, customer);
        Assert.Equal(tombstone?.Version, (await HalfAsync(Provider.UserSide(customer)))?.Version);
        var entry = await UnlinkedEntryAsync(customer, linkId);
        Assert.Equal(("unlinked", "service"), (entry?.Action, entry?.Reason));
        Assert.NotEqual(lineUserId, entry?.LineUserIdHash);
    }

    [Fact]
    public async Task DeleteByLineUser_Twice_204BothTimesAndTombstones()
    {
        var (lineUserId, customer) = (WebhookBodies.NewLineUserId(), $"customer-{Guid.NewGuid():N}");
        var linkId = await LinkAsync(lineUserId, customer);

        Assert.Equal(204, await DeleteByLineUserAsync(lineUserId));
        Assert.Equal(204, await DeleteByLineUserAsync(lineUserId));

        await AssertTombstonedAsync(lineUserId, customer);
        Assert.NotNull(await UnlinkedEntryAsync(customer, linkId));
    }

    [Fact]
    public async Task AccountLink_OlderThanTheUnlink_DoesNotBringTheLinkBack()
    {
        var (lineUserId, customer) = (WebhookBodies.NewLineUserId(), $"customer-{Guid.NewGuid():N}");
        await LinkAsync(lineUserId, customer);
        var beforeUnlink = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.Equal(204, await DeleteByServiceUserAsync(customer));

        // A link event from before the unlink, delivered after it.
        await LinkAsync(lineUserId, customer, timestamp: beforeUnlink);

        await AssertTombstonedAsync(lineUserId, customer);
    }

    [Fact]
    public async Task AccountLink_NewerThanTheUnlink_LinksAgain()
    {
        var (lineUserId, customer) = (WebhookBodies.NewLineUserId(), $"customer-{Guid.NewGuid():N}");
        await LinkAsync(lineUserId, customer);
        Assert.Equal(204, await DeleteByLineUserAsync(lineUserId));

        await LinkAsync(lineUserId, customer, timestamp: DateTimeOffset.UtcNow.AddSeconds(5).ToUnixTimeMilliseconds());

        Assert.Equal(customer, (await Flow.FindByLineUserAsync(lineUserId))?.ServiceUserId);
    }
}
