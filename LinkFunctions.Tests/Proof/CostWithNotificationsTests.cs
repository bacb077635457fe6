using LinkFunctions.Tests.EndToEnd;
using LinkFunctions.Tests.Notifications;
using LinkFunctions.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using static LinkFunctions.Tests.TestSupport.CountingRequestHandler;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// The price of link-change notifications on the hot path: one outbox create per change, recorded before the commit
/// (docs/architecture.md, "Link-change notifications"). Pinned so that the figure in docs/reliability.md stays true.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class CostWithNotificationsTests(CosmosFixture cosmos) : NotificationAppTest(cosmos)
{
    private readonly CountingRequestHandler cosmosOps = new();

    protected override void ConfigureServices(IServiceCollection services) => cosmosOps.InstallIn(services, Cosmos.ConnectionString);

    [Fact]
    public async Task AccountLink_FreshLinkWithNotifyUrl_SixOperations()
    {
        var flow = new LinkingFlow(App, Line);
        var lineUserId = WebhookBodies.NewLineUserId();
        var nonce = await flow.OpenLinkingUrlAsync(await flow.SendKeywordAsync(lineUserId), $"customer-{Guid.NewGuid():N}");

        cosmosOps.Reset();
        Assert.Equal(200, HttpRequests.Status(await flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(lineUserId, nonce)))));

        // The outbox entry goes in after the line half is won and before the user half commits the link.
        string[] expected = [$"{Read} transient", $"{Create} links", $"{Create} outbox", $"{Create} links", $"{Create} audit", $"{Replace} transient"];
        var actual = cosmosOps.Operations.Select(o => $"{o.Kind} {o.Container}").ToArray();
        Assert.True(expected.SequenceEqual(actual), $"{actual.Length} operations: {string.Join(", ", actual)}");
    }
}
