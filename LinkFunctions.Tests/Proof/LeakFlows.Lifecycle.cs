using LinkFunctions.Functions;
using LinkFunctions.Notifications;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace LinkFunctions.Tests.Proof;

/// <summary>The lifecycle side: history, notifications (to a receiver that is down, so the failure paths log too) and erasure both ways.</summary>
public sealed partial class LeakFlows
{
    /// <summary>Where the suite's app sends link-change notifications: a loopback port nothing listens on.</summary>
    public const string NotifyUrl = "http://127.0.0.1:9/link-changes";

    public async Task LifecycleAsync()
    {
        var (lineUserId, serviceUserId) = record.NewUsers();
        await LinkAsync(lineUserId, serviceUserId);
        var (otherLine, otherService) = record.NewUsers();
        await LinkAsync(otherLine, otherService);

        Assert.Equal(200, record.Answer(await app.Function<LinkHistoryFunction>().Run(
            HttpRequests.Get($"/api/links/users/{serviceUserId}/history", "?pageSize=1"), serviceUserId)));
        Assert.Equal(400, record.Answer(await app.Function<LinkHistoryFunction>().Run(
            HttpRequests.Get($"/api/links/users/{serviceUserId}/history", "?continuationToken=" + Uri.EscapeDataString(lineUserId)), serviceUserId)));

        // Each entry fails to send (nothing listens) and is kept for a retry: the sender's and drainer's failure logs.
        await app.Get<OutboxDrainer>().DrainAsync(default);

        var erase = HttpRequests.Get($"/api/users/{serviceUserId}");
        erase.Method = HttpMethods.Delete;
        Assert.Equal(204, record.Answer(await app.Function<EraseUserFunction>().ByServiceUser(erase, serviceUserId)));
        var eraseLine = HttpRequests.Get($"/api/line-users/{otherLine}");
        eraseLine.Method = HttpMethods.Delete;
        Assert.Equal(204, record.Answer(await app.Function<EraseUserFunction>().ByLineUser(eraseLine, otherLine)));
        Assert.Null(await Flow.FindByServiceUserAsync(otherService));
        await app.Get<OutboxDrainer>().DrainAsync(default);
    }
}
