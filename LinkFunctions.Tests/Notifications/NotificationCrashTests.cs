using LinkFunctions.Linking;
using LinkFunctions.Notifications;
using LinkFunctions.Storage;
using LinkFunctions.Tests.EndToEnd;
using LinkFunctions.Tests.TestSupport;
using Microsoft.Azure.Cosmos;

namespace LinkFunctions.Tests.Notifications;

/// <summary>
/// Cosmos failing around the commit of an accountLink (the outbox entry is written just before the user half, the
/// commit): LINE's redelivery is the retry path, and the service ends with exactly one notification either way.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class NotificationCrashTests(CosmosFixture cosmos) : NotificationAppTest(cosmos)
{
    private LinkingFlow Flow => new(App, Line);

    private static bool Is(RequestMessage request, HttpMethod method, string collection) =>
        request.Method == method && request.RequestUri.OriginalString.Contains($"colls/{collection}", StringComparison.Ordinal);

    /// <summary>Opens a link for a new pair and returns its accountLink event, not yet delivered.</summary>
    private async Task<(Dictionary<string, object?> Event, string LineUserId, string ServiceUserId)> PrepareAsync()
    {
        var (lineUserId, serviceUserId) = (WebhookBodies.NewLineUserId(), $"customer-{Guid.NewGuid():N}");
        var nonce = await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(lineUserId), serviceUserId);
        return (WebhookBodies.AccountLink(lineUserId, nonce), lineUserId, serviceUserId);
    }

    private async Task<int> DeliverAsync(Dictionary<string, object?> accountLink, bool redelivery = false)
    {
        if (redelivery)
        {
            accountLink["deliveryContext"] = new { isRedelivery = true };
        }

        return HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(accountLink)));
    }

    [Fact]
    public async Task AccountLink_CommitFailsAfterTheOutboxWrite_NothingSentUntilTheRedeliveryCommitsThenOne()
    {
        var (accountLink, lineUserId, serviceUserId) = await PrepareAsync();
        var linkCreates = 0;
        Faults.ShouldFail = r => Is(r, HttpMethod.Post, "links") && Interlocked.Increment(ref linkCreates) == 2;

        Assert.Equal(503, await DeliverAsync(accountLink));
        await DrainAsync();
        Assert.Empty(Receiver.All);

        Faults.ShouldFail = _ => false;
        Assert.Equal(200, await DeliverAsync(accountLink, redelivery: true));
        await DrainAsync();

        var n = Assert.Single(Verified());
        Assert.Equal((LinkChangeTypes.Linked, serviceUserId, lineUserId), (n.Type, n.ServiceUserId, n.LineUserId));
    }

    [Fact]
    public async Task AccountLink_FailsAfterTheCommit_RedeliverySendsNoSecondNotification()
    {
        var (accountLink, _, serviceUserId) = await PrepareAsync();
        Faults.ShouldFail = r => Is(r, HttpMethod.Put, "transient");

        Assert.Equal(503, await DeliverAsync(accountLink));
        await DrainAsync();
        Faults.ShouldFail = _ => false;
        Assert.Equal(200, await DeliverAsync(accountLink, redelivery: true));
        Time.Advance(TimeSpan.FromHours(1));
        await DrainAsync();

        Assert.Equal(serviceUserId, Assert.Single(Verified()).ServiceUserId);
        Assert.Single(Receiver.All);
    }

    [Fact]
    public async Task AccountLink_OutboxWriteFails_NoLinkThenRedeliveryLinksWithOneNotification()
    {
        var (accountLink, lineUserId, serviceUserId) = await PrepareAsync();
        Faults.ShouldFail = r => Is(r, HttpMethod.Post, "outbox");

        Assert.Equal(503, await DeliverAsync(accountLink));
        Assert.Null(await Flow.FindByServiceUserAsync(serviceUserId));
        Faults.ShouldFail = _ => false;
        Assert.Equal(200, await DeliverAsync(accountLink, redelivery: true));
        await DrainAsync();

        Assert.Equal((serviceUserId, lineUserId), (Assert.Single(Verified()).ServiceUserId, Assert.Single(Verified()).LineUserId));
    }
}
