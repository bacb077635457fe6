using LinkFunctions.Linking;
using LinkFunctions.Storage;
using LinkFunctions.Tests.TestSupport;

namespace LinkFunctions.Tests.EndToEnd;

/// <summary>unfollow under <c>Linking__UnfollowPolicy=unlink</c>: state-changing, deduped, and silent (no reply token).</summary>
[Collection(CosmosCollection.Name)]
public sealed class UnfollowFlowTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    private LinkingFlow Flow => new(App, Line);

    protected override void ConfigureSettings(Dictionary<string, string?> settings) => settings["Linking:UnfollowPolicy"] = "unlink";

    [Fact]
    public async Task Unfollow_UnlinkPolicyTwice_UnlinksOnceWithoutReply()
    {
        var (lineUserId, customer) = (WebhookBodies.NewLineUserId(), $"customer-{Guid.NewGuid():N}");
        var nonce = await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(lineUserId), customer);
        await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(lineUserId, nonce)));
        Assert.Equal(customer, (await Flow.FindByLineUserAsync(lineUserId))?.ServiceUserId);
        Line.Clear();
        var unfollow = WebhookBodies.Unfollow(lineUserId);

        Assert.Equal(200, HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(unfollow))));
        unfollow["deliveryContext"] = new { isRedelivery = true };
        Assert.Equal(200, HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(unfollow))));

        Assert.Null(await Flow.FindByLineUserAsync(lineUserId));
        Assert.Null(await Flow.FindByServiceUserAsync(customer));
        var provider = App.Get<ProviderKey>();
        Assert.Equal(LinkStates.Unlinked, (await App.Get<ILinkRepository>().ReadAsync(provider.UserSide(customer), default))?.Document.State);
        var entry = await AuditEntries.ByKeyAsync(
            App.Get<CosmosDatabase>(), provider.AuditPartition(customer), $"{LinkUnlinker.Action}:{ProviderKey.Sha256Hex(ProviderKey.Sha256Hex(nonce))}");
        Assert.Equal("unfollow", entry?.Reason);
        Assert.Empty(Line.CallsTo("/v2/bot/message"));
    }
}
