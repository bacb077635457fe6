using System.Net;
using LinkFunctions.Functions;
using LinkFunctions.Storage;
using LinkFunctions.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace LinkFunctions.Tests.EndToEnd;

/// <summary>What happens when Cosmos or LINE fails or is slow in the middle of the flow.</summary>
[Collection(CosmosCollection.Name)]
public sealed class FailureFlowTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    private readonly FaultInjectionHandler faults = new();
    private LinkingFlow Flow => new(App, Line);

    protected override void ConfigureServices(IServiceCollection services) => faults.InstallIn(services, Cosmos.ConnectionString);

    [Fact]
    public async Task AccountLink_CosmosFailsDuringLinkWrite_ServerErrorNoncePendingAndRedeliveryLinks()
    {
        var lineUserId = WebhookBodies.NewLineUserId();
        var nonce = await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(lineUserId), "customer-retry");
        var accountLink = WebhookBodies.AccountLink(lineUserId, nonce);
        var replies = Line.CallsTo("/v2/bot/message/reply").Count;
        faults.ShouldFail = request => request.Method == HttpMethod.Post && request.RequestUri.OriginalString.Contains("colls/links", StringComparison.Ordinal);

        var first = await Flow.WebhookAsync(WebhookBodies.Body(accountLink));

        Assert.Equal(503, HttpRequests.Status(first));
        var pending = await App.Get<ITransientRepository>().ReadNonceAsync(App.Get<ProviderKey>().Nonce(nonce), default);
        Assert.Equal(NonceStates.Pending, pending?.Document.Status);
        Assert.Equal(replies, Line.CallsTo("/v2/bot/message/reply").Count);

        faults.ShouldFail = _ => false;
        accountLink["deliveryContext"] = new { isRedelivery = true };
        var redelivery = await Flow.WebhookAsync(WebhookBodies.Body(accountLink));

        Assert.Equal(200, HttpRequests.Status(redelivery));
        Assert.Equal("customer-retry", (await Flow.FindByLineUserAsync(lineUserId))?.ServiceUserId);
        Assert.Equal(replies + 1, Line.CallsTo("/v2/bot/message/reply").Count);
    }

    [Fact]
    public async Task Keyword_LineReplyFails_StillOkAndNoRetryOfReply()
    {
        Line.Intercept = call => call.Path.EndsWith("/reply", StringComparison.Ordinal) ? HttpStatusCode.InternalServerError : null;

        var result = await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.TextMessage(WebhookBodies.NewLineUserId(), "link")));

        Assert.Equal(200, HttpRequests.Status(result));
        Assert.Single(Line.CallsTo("/v2/bot/message/reply"));
    }

    [Fact]
    public async Task Keyword_LineSlowerThanBudget_StillOk()
    {
        Line.Delay = TimeSpan.FromSeconds(5);

        var result = await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.TextMessage(WebhookBodies.NewLineUserId(), "link")));

        // The budget cancelled the LINE call; a reply-only event still answers 200.
        Assert.Equal(200, HttpRequests.Status(result));
        Assert.Empty(Line.CallsTo("/v2/bot/message/reply"));
    }

    [Fact]
    public async Task AccountLink_CosmosUnavailable_ServerErrorSoLineRedelivers()
    {
        faults.ShouldFail = _ => true;

        var result = await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(WebhookBodies.NewLineUserId(), LinkFunctions.Linking.Nonce.Create())));

        Assert.Equal(503, HttpRequests.Status(result));
    }

    [Fact]
    public async Task GetLink_CosmosUnavailable_ServiceUnavailableProblem()
    {
        faults.ShouldFail = _ => true;

        var result = await App.Function<GetLinkFunction>().ByServiceUser(HttpRequests.Get("/api/links/users/someone"), "someone");

        Assert.Equal(503, HttpRequests.Status(result));
        Assert.Contains("storage-unavailable", HttpRequests.Content(result), StringComparison.Ordinal);
    }
}
