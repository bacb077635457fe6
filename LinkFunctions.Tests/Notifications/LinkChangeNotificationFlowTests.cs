using LinkFunctions.Functions;
using LinkFunctions.Liff;
using LinkFunctions.Linking;
using LinkFunctions.Login;
using LinkFunctions.Notifications;
using LinkFunctions.Storage;
using LinkFunctions.Tests.EndToEnd;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace LinkFunctions.Tests.Notifications;

/// <summary>
/// A signed notification for every change, through the real functions: linked by each of the three methods,
/// replaced by a relink, unlinked from the service and from LINE.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class LinkChangeNotificationFlowTests(CosmosFixture cosmos) : NotificationAppTest(cosmos)
{
    private LinkingFlow Flow => new(App, Line);

    protected override void ConfigureSettings(Dictionary<string, string?> settings)
    {
        LineLoginFlow.Settings(settings);
        settings["Liff:ChannelId"] = LiffIdTokens.LiffChannelId;
        settings["Linking:UnfollowPolicy"] = "unlink";
    }

    private static string NewServiceUser() => $"customer-{Guid.NewGuid():N}";

    private async Task<string> AccountLinkAsync(string lineUserId, string serviceUserId)
    {
        var nonce = await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(lineUserId), serviceUserId);
        Assert.Equal(200, HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(lineUserId, nonce)))));
        return nonce;
    }

    private static void AssertNotification(ReceivedNotification n, string type, string serviceUserId, string? lineUserId, string method)
    {
        Assert.Equal((type, serviceUserId, lineUserId, method), (n.Type, n.ServiceUserId, n.LineUserId, n.Json.GetProperty("method").GetString()));
        Assert.Equal(
            ["id", "lineUserId", "method", "occurredAt", "serviceUserId", "type"],
            n.Json.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AccountLink_Linked_ServiceGetsOneSignedLinkedNotification()
    {
        var (lineUserId, serviceUserId) = (WebhookBodies.NewLineUserId(), NewServiceUser());
        var nonce = await AccountLinkAsync(lineUserId, serviceUserId);

        Assert.Equal(1, await DrainAsync());

        var n = Assert.Single(Verified());
        AssertNotification(n, LinkChangeTypes.Linked, serviceUserId, lineUserId, AccountLinkService.Method);
        Assert.DoesNotContain(nonce, n.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(ProviderKey.Sha256Hex(nonce), n.Text, StringComparison.Ordinal);
        Assert.Equal(0, await DrainAsync());
    }

    [Fact]
    public async Task LineLogin_Linked_ServiceGetsSignedLinkedNotification()
    {
        var (lineUserId, serviceUserId) = (WebhookBodies.NewLineUserId(), NewServiceUser());

        Assert.Equal(LoginResults.Linked, await new LineLoginFlow(App, Line).LinkAsync(serviceUserId, lineUserId));
        await DrainAsync();

        AssertNotification(Assert.Single(Verified()), LinkChangeTypes.Linked, serviceUserId, lineUserId, LoginPolicy.Method);
    }

    [Fact]
    public async Task Liff_Linked_ServiceGetsSignedLinkedNotification()
    {
        var (lineUserId, serviceUserId) = (WebhookBodies.NewLineUserId(), NewServiceUser());
        var token = Line.Liff.Sign(LiffIdTokens.Claims(lineUserId, DateTimeOffset.UtcNow));

        var result = await App.Function<LiffLinkFunction>().Run(
            HttpRequests.PostJson("/api/links/liff", $$"""{"idToken":"{{token}}","serviceUserId":"{{serviceUserId}}"}"""));
        Assert.Equal(200, HttpRequests.Status(result));
        await DrainAsync();

        var n = Assert.Single(Verified());
        AssertNotification(n, LinkChangeTypes.Linked, serviceUserId, lineUserId, LiffLinkService.Method);
        Assert.DoesNotContain(token, n.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relink_ServiceUserLinksAnotherLineUser_LinkedLinkedThenReplacedInOrder()
    {
        var (first, second, serviceUserId) = (WebhookBodies.NewLineUserId(), WebhookBodies.NewLineUserId(), NewServiceUser());
        await AccountLinkAsync(first, serviceUserId);
        Time.Advance(TimeSpan.FromSeconds(1));
        await AccountLinkAsync(second, serviceUserId);

        Assert.Equal(3, await DrainAsync());

        var received = Verified();
        AssertNotification(received[0], LinkChangeTypes.Linked, serviceUserId, first, AccountLinkService.Method);
        AssertNotification(received[1], LinkChangeTypes.Linked, serviceUserId, second, AccountLinkService.Method);
        AssertNotification(received[2], LinkChangeTypes.Replaced, serviceUserId, first, AccountLinkService.Method);
    }

    [Fact]
    public async Task Relink_LineUserLinksAnotherServiceUser_OldServiceUserToldReplaced()
    {
        var (lineUserId, oldUser, newUser) = (WebhookBodies.NewLineUserId(), NewServiceUser(), NewServiceUser());
        await AccountLinkAsync(lineUserId, oldUser);
        Time.Advance(TimeSpan.FromSeconds(1));
        await AccountLinkAsync(lineUserId, newUser);

        await DrainAsync();

        var received = Verified();
        Assert.Equal(3, received.Count);
        AssertNotification(Assert.Single(received, n => n.Type == LinkChangeTypes.Replaced), LinkChangeTypes.Replaced, oldUser, lineUserId, AccountLinkService.Method);
        AssertNotification(Assert.Single(received, n => n.ServiceUserId == newUser), LinkChangeTypes.Linked, newUser, lineUserId, AccountLinkService.Method);
    }

    [Fact]
    public async Task Unlink_FromServiceTwiceAndFromLineByUnfollow_OneUnlinkedNotificationPerLink()
    {
        var (lineUserId, serviceUserId) = (WebhookBodies.NewLineUserId(), NewServiceUser());
        var (otherLine, otherUser) = (WebhookBodies.NewLineUserId(), NewServiceUser());
        await AccountLinkAsync(lineUserId, serviceUserId);
        await AccountLinkAsync(otherLine, otherUser);
        var delete = HttpRequests.Get($"/api/links/users/{serviceUserId}");
        delete.Method = HttpMethods.Delete;

        Assert.Equal(204, HttpRequests.Status(await App.Function<DeleteLinkFunction>().ByServiceUser(delete, serviceUserId)));
        Assert.Equal(204, HttpRequests.Status(await App.Function<DeleteLinkFunction>().ByServiceUser(delete, serviceUserId)));
        Assert.Equal(200, HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.Unfollow(otherLine)))));
        await DrainAsync();

        var received = Verified();
        Assert.Equal([LinkChangeTypes.Linked, LinkChangeTypes.Unlinked], received.Where(n => n.ServiceUserId == serviceUserId).Select(n => n.Type));
        Assert.Equal([LinkChangeTypes.Linked, LinkChangeTypes.Unlinked], received.Where(n => n.ServiceUserId == otherUser).Select(n => n.Type));
        AssertNotification(received.Last(n => n.ServiceUserId == otherUser), LinkChangeTypes.Unlinked, otherUser, otherLine, AccountLinkService.Method);
    }

    [Fact]
    public async Task EraseUser_LinkedUser_ServiceToldErasedAndTheOutboxKeepsNothingOfTheUser()
    {
        var (lineUserId, serviceUserId) = (WebhookBodies.NewLineUserId(), NewServiceUser());
        await AccountLinkAsync(lineUserId, serviceUserId);
        var erase = HttpRequests.Get($"/api/users/{serviceUserId}");
        erase.Method = HttpMethods.Delete;

        Assert.Equal(204, HttpRequests.Status(await App.Function<EraseUserFunction>().ByServiceUser(erase, serviceUserId)));
        await DrainAsync();

        // The linked entry was still pending when the erasure came, so it went with the user's data: only the erasure is told.
        var n = Assert.Single(Verified());
        Assert.Equal((LinkChangeTypes.Erased, serviceUserId, (string?)null), (n.Type, n.ServiceUserId, n.LineUserId));
        Assert.Equal(ErasureNotifier.ServiceUserErased, n.Json.GetProperty("method").GetString());
        Assert.DoesNotContain(lineUserId, n.Text, StringComparison.Ordinal);
        await foreach (var doc in App.Get<CosmosDatabase>().Outbox.QueryAllAsync(null, null, default))
        {
            Assert.DoesNotContain(serviceUserId, doc.GetRawText(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EraseLineUser_LinkedLineUser_ItsServiceUserToldErasedByLineUserErasure()
    {
        var (lineUserId, serviceUserId) = (WebhookBodies.NewLineUserId(), NewServiceUser());
        await AccountLinkAsync(lineUserId, serviceUserId);
        Assert.Equal(1, await DrainAsync());
        var erase = HttpRequests.Get($"/api/line-users/{lineUserId}");
        erase.Method = HttpMethods.Delete;

        Assert.Equal(204, HttpRequests.Status(await App.Function<EraseUserFunction>().ByLineUser(erase, lineUserId)));
        await DrainAsync();

        var received = Verified();
        Assert.Equal([LinkChangeTypes.Linked, LinkChangeTypes.Erased], received.Select(r => r.Type));
        Assert.Equal((serviceUserId, (string?)null), (received[1].ServiceUserId, received[1].LineUserId));
        Assert.Equal(ErasureNotifier.LineUserErased, received[1].Json.GetProperty("method").GetString());
    }

    [Fact]
    public async Task EraseLineUser_AfterRelinkAwayFromAServiceUser_NoKeptNotificationNamesTheLineUser()
    {
        var (lineUserId, oldUser, newUser) = (WebhookBodies.NewLineUserId(), NewServiceUser(), NewServiceUser());
        await AccountLinkAsync(lineUserId, oldUser);
        Time.Advance(TimeSpan.FromSeconds(1));
        await AccountLinkAsync(lineUserId, newUser);
        Assert.Equal(3, await DrainAsync());
        var erase = HttpRequests.Get($"/api/line-users/{lineUserId}");
        erase.Method = HttpMethods.Delete;

        Assert.Equal(204, HttpRequests.Status(await App.Function<EraseUserFunction>().ByLineUser(erase, lineUserId)));
        await DrainAsync();

        // oldUser's delivered linked/replaced entries are kept for days to absorb late retries; they name the LINE user.
        await foreach (var doc in App.Get<CosmosDatabase>().Outbox.QueryAllAsync(null, null, default))
        {
            Assert.DoesNotContain(lineUserId, doc.GetRawText(), StringComparison.Ordinal);
        }
    }
}
