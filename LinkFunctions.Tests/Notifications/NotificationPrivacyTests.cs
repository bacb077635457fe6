using System.Net;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using LinkFunctions.Tests.EndToEnd;
using LinkFunctions.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace LinkFunctions.Tests.Notifications;

/// <summary>What a notification and the delivery logs may hold: IDs in the body (the receiver needs them), never a secret.</summary>
[Collection(CosmosCollection.Name)]
public sealed class NotificationPrivacyTests(CosmosFixture cosmos) : NotificationAppTest(cosmos)
{
    private readonly CapturingLoggerProvider logs = new();

    protected override void ConfigureServices(IServiceCollection services) => logs.AddTo(services);

    [Fact]
    public async Task Notifications_LinkRefusedRetriedUnlink_BodiesHoldNoSecretTokenOrNonceAndLogsNoRawId()
    {
        var flow = new LinkingFlow(App, Line);
        var (lineUserId, serviceUserId) = (WebhookBodies.NewLineUserId(), $"customer-{Guid.NewGuid():N}");
        var linkToken = await flow.SendKeywordAsync(lineUserId);
        var nonce = await flow.OpenLinkingUrlAsync(linkToken, serviceUserId);
        await flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(lineUserId, nonce)));
        Receiver.Answer = _ => HttpStatusCode.ServiceUnavailable;
        await DrainAsync();
        Receiver.Answer = _ => HttpStatusCode.BadRequest;
        Time.Advance(TimeSpan.FromMinutes(1));
        await DrainAsync();
        Receiver.Answer = null;
        await App.Get<LinkUnlinker>().UnlinkServiceUserAsync(serviceUserId, "service", default);
        await DrainAsync();

        Assert.Equal(3, Receiver.All.Count);
        var secrets = LeakScan.ChannelSecrets();
        secrets["notify secret"] = NotifyReceiver.Secret;
        secrets["nonce"] = nonce;
        secrets["link token"] = linkToken;
        secrets["linkId"] = ProviderKey.Sha256Hex(nonce);
        LeakScan.AssertAbsent(Receiver.All.Select(n => n.Text), secrets);
        secrets["service user ID"] = serviceUserId;
        secrets["LINE user ID"] = lineUserId;
        LeakScan.AssertAbsent(logs.Entries.Where(e => e.Category.Contains("Notifications", StringComparison.Ordinal)).Select(e => e.Text), secrets);
        LeakScan.AssertAbsent(logs.Entries.Select(e => e.Text), secrets);
    }
}
