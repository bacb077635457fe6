using System.Diagnostics.Metrics;
using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using LinkFunctions.Storage;
using LinkFunctions.Tests.TestSupport;

namespace LinkFunctions.Tests.EndToEnd;

/// <summary>
/// Messaging API account linking end to end, in process: the app's real DI wiring, the local Cosmos server and the
/// LINE fake on loopback. webhook "link" → link token → reply with the linking URL → nonce redirect → accountLink → lookup.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class AccountLinkingFlowTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    private LinkingFlow Flow => new(App, Line);

    [Fact]
    public async Task AccountLink_AfterKeywordAndNonceRedirect_StoresLinkBothWays()
    {
        var lineUserId = WebhookBodies.NewLineUserId();
        var serviceUserId = $"customer-{Guid.NewGuid():N}";

        var linkToken = await Flow.SendKeywordAsync(lineUserId);
        Assert.Single(Line.CallsTo($"/v2/bot/user/{lineUserId}/linkToken"));
        var nonce = await Flow.OpenLinkingUrlAsync(linkToken, serviceUserId);
        Assert.True(Identifiers.IsNonce(nonce));
        var result = await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(lineUserId, nonce)));

        Assert.Equal(200, HttpRequests.Status(result));
        var byLine = await Flow.FindByLineUserAsync(lineUserId);
        Assert.NotNull(byLine);
        Assert.Equal(serviceUserId, byLine.ServiceUserId);
        Assert.Equal(AccountLinkService.Method, byLine.Method);
        var byUser = await Flow.FindByServiceUserAsync(serviceUserId);
        Assert.Equal(lineUserId, byUser?.LineUserId);
        var replies = Line.CallsTo("/v2/bot/message/reply");
        Assert.Equal(2, replies.Count);
        Assert.Contains("now linked", LineFake.ReplyText(replies[^1]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccountLink_SameEventDeliveredTwentyTimesConcurrently_OneLinkAndOneReply()
    {
        var lineUserId = WebhookBodies.NewLineUserId();
        var serviceUserId = $"customer-{Guid.NewGuid():N}";
        var nonce = await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(lineUserId), serviceUserId);
        Line.Clear();
        var accountLink = WebhookBodies.AccountLink(lineUserId, nonce);
        var bodies = Enumerable.Range(0, 20).Select(i =>
        {
            var copy = new Dictionary<string, object?>(accountLink) { ["deliveryContext"] = new { isRedelivery = i > 0 } };
            return WebhookBodies.Body(copy);
        });

        var results = await Task.WhenAll(bodies.Select(Flow.WebhookAsync));

        Assert.All(results, r => Assert.Equal(200, HttpRequests.Status(r)));
        Assert.Single(Line.CallsTo("/v2/bot/message/reply"));
        Assert.Equal(serviceUserId, (await Flow.FindByLineUserAsync(lineUserId))?.ServiceUserId);
        var nonceDoc = await App.Get<ITransientRepository>().ReadNonceAsync(App.Get<ProviderKey>().Nonce(nonce), default);
        Assert.Equal(NonceStates.Consumed, nonceDoc?.Document.Status);
        Assert.Equal(accountLink["webhookEventId"], nonceDoc?.Document.ConsumedByEventId);
    }

    [Fact]
    public async Task AccountLink_EventAfterNonceExpiry_NoLink()
    {
        var lineUserId = WebhookBodies.NewLineUserId();
        var nonce = await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(lineUserId), "customer-expired");
        var late = DateTimeOffset.UtcNow.Add(LinkingPolicy.NonceLifetime).AddMinutes(1).ToUnixTimeMilliseconds();

        var result = await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(lineUserId, nonce, timestamp: late)));

        Assert.Equal(200, HttpRequests.Status(result));
        Assert.Null(await Flow.FindByLineUserAsync(lineUserId));
        var nonceDoc = await App.Get<ITransientRepository>().ReadNonceAsync(App.Get<ProviderKey>().Nonce(nonce), default);
        Assert.Equal(NonceStates.Failed, nonceDoc?.Document.Status);
    }

    [Fact]
    public async Task AccountLink_NonceReusedByAnotherEvent_NoSecondLink()
    {
        var lineUserId = WebhookBodies.NewLineUserId();
        var nonce = await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(lineUserId), "customer-first");
        Assert.Equal(200, HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(lineUserId, nonce)))));
        var replies = Line.CallsTo("/v2/bot/message/reply").Count;
        var otherUser = WebhookBodies.NewLineUserId();

        var reuse = await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(otherUser, nonce)));

        Assert.Equal(200, HttpRequests.Status(reuse));
        Assert.Null(await Flow.FindByLineUserAsync(otherUser));
        Assert.Equal("customer-first", (await Flow.FindByLineUserAsync(lineUserId))?.ServiceUserId);
        Assert.Equal(replies, Line.CallsTo("/v2/bot/message/reply").Count);
    }

    [Fact]
    public async Task AccountLink_NoncePresentedByOtherLineUser_NoLinkAndNonceBurned()
    {
        var victim = WebhookBodies.NewLineUserId();
        var attacker = WebhookBodies.NewLineUserId();
        var victimNonce = await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(victim), "customer-victim");

        // The attacker finishes LINE's dialog with their own link token but the victim's nonce.
        var result = await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(attacker, victimNonce)));

        Assert.Equal(200, HttpRequests.Status(result));
        Assert.Null(await Flow.FindByLineUserAsync(attacker));
        Assert.Null(await Flow.FindByServiceUserAsync("customer-victim"));
        var nonceDoc = await App.Get<ITransientRepository>().ReadNonceAsync(App.Get<ProviderKey>().Nonce(victimNonce), default);
        Assert.Equal(NonceStates.Failed, nonceDoc?.Document.Status);
    }

    [Fact]
    public async Task AccountLink_FailedResult_NoLinkAndNonceFailed()
    {
        var lineUserId = WebhookBodies.NewLineUserId();
        var nonce = await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(lineUserId), "customer-failed");
        var replies = Line.CallsTo("/v2/bot/message/reply").Count;

        var result = await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(null, nonce, result: "failed")));

        Assert.Equal(200, HttpRequests.Status(result));
        Assert.Null(await Flow.FindByLineUserAsync(lineUserId));
        var nonceDoc = await App.Get<ITransientRepository>().ReadNonceAsync(App.Get<ProviderKey>().Nonce(nonce), default);
        Assert.Equal(NonceStates.Failed, nonceDoc?.Document.Status);
        Assert.Equal(replies, Line.CallsTo("/v2/bot/message/reply").Count);
    }

    [Fact]
    public async Task Keyword_InGroupChat_NoLinkTokenIssued()
    {
        var lineUserId = WebhookBodies.NewLineUserId();

        var result = await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.TextMessage(lineUserId, "link", sourceType: "group")));

        Assert.Equal(200, HttpRequests.Status(result));
        Assert.Empty(Line.CallsTo("/linkToken"));
        var reply = Assert.Single(Line.CallsTo("/v2/bot/message/reply"));
        Assert.DoesNotContain("/api/link", LineFake.ReplyText(reply), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keyword_RedeliveredEvent_RepliesOnce()
    {
        var lineUserId = WebhookBodies.NewLineUserId();
        var message = WebhookBodies.TextMessage(lineUserId, "LINK ");

        await Flow.WebhookAsync(WebhookBodies.Body(message));
        var again = await Flow.WebhookAsync(WebhookBodies.Body(message));

        Assert.Equal(200, HttpRequests.Status(again));
        Assert.Single(Line.CallsTo("/linkToken"));
        Assert.Single(Line.CallsTo("/v2/bot/message/reply"));
    }

    [Fact]
    public async Task Lookup_HalfWrittenPair_NotFoundAndRepaired()
    {
        var lineUserId = WebhookBodies.NewLineUserId();
        var provider = App.Get<ProviderKey>();
        var links = App.Get<ILinkRepository>();
        var stale = DateTimeOffset.UtcNow - LinkingPolicy.WriteGrace - TimeSpan.FromMinutes(1);
        await links.CreateAsync(
            new LinkDocument
            {
                Id = provider.LineSide(lineUserId), LineUserId = lineUserId, ServiceUserId = "customer-half", LinkId = "abc",
                Version = 1, State = LinkStates.Linked, Method = AccountLinkService.Method, LinkedAt = stale, WrittenAt = stale,
            },
            default);

        Assert.Null(await Flow.FindByLineUserAsync(lineUserId));
        Assert.Null(await Flow.FindByServiceUserAsync("customer-half"));
        Assert.Null(await links.ReadAsync(provider.LineSide(lineUserId), default));
    }

    [Fact]
    public async Task AccountLink_LinkedThenRedelivered_FunnelCountsLinkedAndDuplicate()
    {
        using var events = new MetricCollector<long>(App.Get<IMeterFactory>(), LinkMetrics.MeterName, "linkfunctions.webhook.events");
        var lineUserId = WebhookBodies.NewLineUserId();
        var nonce = await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(lineUserId), "customer-metrics");
        var accountLink = WebhookBodies.Body(WebhookBodies.AccountLink(lineUserId, nonce));

        await Flow.WebhookAsync(accountLink);
        await Flow.WebhookAsync(accountLink);

        var outcomes = events.GetMeasurementSnapshot()
            .Select(m => $"{m.Tags["type"]}:{m.Tags["outcome"]}")
            .ToList();
        Assert.Equal(["message:Handled", "accountLink:Linked", "accountLink:Duplicate"], outcomes);
    }

    [Fact]
    public async Task VerifyButton_EmptyEvents_Ok()
    {
        Line.Clear(); // the start-up warm-up's token issue
        var result = await Flow.WebhookAsync("{\"destination\":\"U8e742f61d673b39c7fff3cecb7536ef0\",\"events\":[]}");

        Assert.Equal(200, HttpRequests.Status(result));
        Assert.Empty(Line.Calls);
    }
}
