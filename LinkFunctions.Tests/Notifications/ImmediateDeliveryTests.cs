using LinkFunctions.Notifications;
using LinkFunctions.Tests.EndToEnd;
using LinkFunctions.Tests.TestSupport;

namespace LinkFunctions.Tests.Notifications;

/// <summary>The production wiring: after a change commits, a background attempt delivers it without waiting for the timer.</summary>
[Collection(CosmosCollection.Name)]
public sealed class ImmediateDeliveryTests(CosmosFixture cosmos) : NotificationAppTest(cosmos)
{
    protected override bool ImmediateDelivery => true;

    [Fact]
    public async Task AccountLink_Committed_DeliveredInTheBackgroundWithoutATimerRun()
    {
        var flow = new LinkingFlow(App, Line);
        var (lineUserId, serviceUserId) = (WebhookBodies.NewLineUserId(), $"customer-{Guid.NewGuid():N}");
        var nonce = await flow.OpenLinkingUrlAsync(await flow.SendKeywordAsync(lineUserId), serviceUserId);

        Assert.Equal(200, HttpRequests.Status(await flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(lineUserId, nonce)))));

        var n = Assert.Single(await Receiver.WaitForAcceptedAsync(1));
        Assert.Equal((LinkChangeTypes.Linked, serviceUserId), (n.Type, n.ServiceUserId));
        Assert.True(n.SignedWith(NotifyReceiver.Secret));
    }
}
