using LinkFunctions.Linking;
using LinkFunctions.Storage;
using LinkFunctions.Tests.TestSupport;

namespace LinkFunctions.Tests.EndToEnd;

/// <summary>A relink through the whole app: the displaced party is released, audited and (when configured) told.</summary>
[Collection(CosmosCollection.Name)]
public sealed class RelinkFlowTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    private LinkingFlow Flow => new(App, Line);

    protected override void ConfigureSettings(Dictionary<string, string?> settings) => settings["Linking:NotifyReplaced"] = "true";


    /// <summary>Links through keyword, nonce redirect and accountLink; returns the linkId (SHA-256 of the nonce).</summary>
    private async Task<string> LinkAsync(string lineUserId, string serviceUserId)
    {
        var nonce = await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(lineUserId), serviceUserId);
        await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(lineUserId, nonce)));
        return ProviderKey.Sha256Hex(nonce);
    }

    [Fact]
    public async Task AccountLink_ServiceUserLinksAnotherLineUser_OldLineUserReleasedToldOnceAndAudited()
    {
        var (first, second, customer) = (WebhookBodies.NewLineUserId(), WebhookBodies.NewLineUserId(), $"customer-{Guid.NewGuid():N}");
        var provider = App.Get<ProviderKey>();
        // A cold Cosmos client on a busy machine can spend the webhook's whole budget, and the keyword reply with it.
        await Flow.FindByLineUserAsync(first);
        var oldLinkId = await LinkAsync(first, customer);
        Line.Clear();

        var newLinkId = await LinkAsync(second, customer);

        // Released by the writer itself, before any lookup could repair it.
        Assert.Null(await App.Get<ILinkRepository>().ReadAsync(provider.LineSide(first), default));
        Assert.Equal(second, (await Flow.FindByServiceUserAsync(customer))?.LineUserId);
        Assert.Equal(customer, (await Flow.FindByLineUserAsync(second))?.ServiceUserId);
        Assert.Null(await Flow.FindByLineUserAsync(first));
        var push = Assert.Single(Line.CallsTo("/v2/bot/message/push"));
        Assert.Contains(first, push.Body, StringComparison.Ordinal);
        Assert.Equal(ReplacedLinkNotifier.RetryKey(oldLinkId, newLinkId).ToString("D"), push.RetryKey);
        var entry = await AuditEntries.ByKeyAsync(
            App.Get<CosmosDatabase>(), provider.AuditPartition(customer), $"{ReplacedLinkNotifier.Action}:{ProviderKey.Sha256Hex(oldLinkId + ":" + newLinkId)}");
        Assert.Equal((ReplacedLinkNotifier.Action, oldLinkId), (entry?.Action, entry?.LinkId));
    }
}
