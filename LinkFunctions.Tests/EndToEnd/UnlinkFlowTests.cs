using LinkFunctions.Functions;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LinkFunctions.Tests.EndToEnd;

/// <summary>Unlink from every side through the whole app, against the local Cosmos server.</summary>
[Collection(CosmosCollection.Name)]
public sealed class UnlinkFlowTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    private const string ReplyPath = "/v2/bot/message/reply";

    private readonly FaultInjectionHandler faults = new();

    private LinkingFlow Flow => new(App, Line);

    protected override void ConfigureServices(IServiceCollection services) => faults.InstallIn(services, Cosmos.ConnectionString);

    private async Task<int> WebhookStatusAsync(object e) => HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(e)));

    private IReadOnlyList<string?> ReplyTexts() => [.. Line.CallsTo(ReplyPath).Select(LineFake.ReplyText)];

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

    private Task<AuditDocument?> UnlinkedEntryAsync(string serviceUserId, string linkId) =>
        AuditEntries.ByKeyAsync(App.Get<CosmosDatabase>(), Provider.AuditPartition(serviceUserId), $"{LinkUnlinker.Action}:{ProviderKey.Sha256Hex(linkId)}");

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

    [Fact]
    public async Task Postback_RedeliveredAndRepeated_UnlinksOnceRepliesOncePerEvent()
    {
        var (lineUserId, customer) = (WebhookBodies.NewLineUserId(), $"customer-{Guid.NewGuid():N}");
        var linkId = await LinkAsync(lineUserId, customer);
        Line.Clear();
        var postback = WebhookBodies.Postback(lineUserId, "action=unlink&from=richmenu");

        Assert.Equal(200, await WebhookStatusAsync(postback));
        postback["deliveryContext"] = new { isRedelivery = true };
        Assert.Equal(200, await WebhookStatusAsync(postback));
        Assert.Equal(200, await WebhookStatusAsync(WebhookBodies.Postback(lineUserId, "action=unlink")));

        await AssertTombstonedAsync(lineUserId, customer);
        Assert.Equal([LinkMessages.Unlinked[0].Text, LinkMessages.NotLinked[0].Text], ReplyTexts());
        Assert.Equal("postback", (await UnlinkedEntryAsync(customer, linkId))?.Reason);
    }

    [Theory]
    [InlineData("action=link")]
    [InlineData("action=unlink&action=link")]
    [InlineData("unlink")]
    public async Task Postback_OtherData_Ignored(string data)
    {
        var (lineUserId, customer) = (WebhookBodies.NewLineUserId(), $"customer-{Guid.NewGuid():N}");
        await LinkAsync(lineUserId, customer);
        Line.Clear();

        Assert.Equal(200, await WebhookStatusAsync(WebhookBodies.Postback(lineUserId, data)));

        Assert.Equal(customer, (await Flow.FindByLineUserAsync(lineUserId))?.ServiceUserId);
        Assert.Empty(Line.CallsTo(ReplyPath));
    }

    [Fact]
    public async Task Keyword_Twice_UnlinksThenRepliesNotLinked()
    {
        var (lineUserId, customer) = (WebhookBodies.NewLineUserId(), $"customer-{Guid.NewGuid():N}");
        var linkId = await LinkAsync(lineUserId, customer);
        // LINE requires telling users how to unlink when they link: the prompt and the confirmation both name the keyword.
        Assert.Equal(2, ReplyTexts().Count);
        Assert.All(ReplyTexts(), text => Assert.Contains("send \"unlink\"", text, StringComparison.Ordinal));
        Line.Clear();

        Assert.Equal(200, await WebhookStatusAsync(WebhookBodies.TextMessage(lineUserId, " Unlink ")));
        Assert.Equal(200, await WebhookStatusAsync(WebhookBodies.TextMessage(lineUserId, "unlink")));

        await AssertTombstonedAsync(lineUserId, customer);
        Assert.Equal([LinkMessages.Unlinked[0].Text, LinkMessages.NotLinked[0].Text], ReplyTexts());
        Assert.Equal("keyword", (await UnlinkedEntryAsync(customer, linkId))?.Reason);
    }

    [Fact]
    public async Task Keyword_InGroup_IgnoredAndStillLinked()
    {
        var (lineUserId, customer) = (WebhookBodies.NewLineUserId(), $"customer-{Guid.NewGuid():N}");
        await LinkAsync(lineUserId, customer);
        Line.Clear();

        Assert.Equal(200, await WebhookStatusAsync(WebhookBodies.TextMessage(lineUserId, "unlink", sourceType: "group")));
        Assert.Equal(200, await WebhookStatusAsync(WebhookBodies.Postback(lineUserId, "action=unlink", sourceType: "room")));

        Assert.Equal(customer, (await Flow.FindByLineUserAsync(lineUserId))?.ServiceUserId);
        Assert.Empty(Line.CallsTo(ReplyPath));
    }

    [Fact]
    public async Task Unfollow_DefaultKeepPolicy_StaysLinked()
    {
        var (lineUserId, customer) = (WebhookBodies.NewLineUserId(), $"customer-{Guid.NewGuid():N}");
        await LinkAsync(lineUserId, customer);

        Assert.Equal(200, await WebhookStatusAsync(WebhookBodies.Unfollow(lineUserId)));

        Assert.Equal(customer, (await Flow.FindByLineUserAsync(lineUserId))?.ServiceUserId);
    }

    [Fact]
    public async Task Postback_CosmosFailsDuringUnlink_503MarkerRemovedAndRedeliveryUnlinks()
    {
        var (lineUserId, customer) = (WebhookBodies.NewLineUserId(), $"customer-{Guid.NewGuid():N}");
        await LinkAsync(lineUserId, customer);
        Line.Clear();
        var postback = WebhookBodies.Postback(lineUserId, "action=unlink");
        faults.ShouldFail = request => request.Method == HttpMethod.Put && request.RequestUri.OriginalString.Contains("colls/links", StringComparison.Ordinal);

        Assert.Equal(503, await WebhookStatusAsync(postback));

        faults.ShouldFail = _ => false;
        var marker = await App.Get<CosmosDatabase>().Transient.ReadAsync(
            Provider.EventMarker((string)postback["webhookEventId"]!), Provider.EventMarker((string)postback["webhookEventId"]!),
            StorageJsonContext.Default.EventMarkerDocument, default);
        Assert.Null(marker);
        Assert.Empty(Line.CallsTo(ReplyPath));

        postback["deliveryContext"] = new { isRedelivery = true };
        Assert.Equal(200, await WebhookStatusAsync(postback));

        await AssertTombstonedAsync(lineUserId, customer);
        Assert.Equal([LinkMessages.Unlinked[0].Text], ReplyTexts());
    }
}
