using System.Diagnostics.Metrics;
using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using LinkFunctions.Tests.TestSupport;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

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
    public async Task AccountLink_FailedResultFromTheExpectedLineUser_NoLinkAndNonceFailed()
    {
        var lineUserId = WebhookBodies.NewLineUserId();
        var nonce = await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(lineUserId), "customer-failed-sender");
        var failed = WebhookBodies.AccountLink(lineUserId, nonce, result: "failed");
        failed["source"] = new { type = "user", userId = lineUserId };
        failed["replyToken"] = Guid.NewGuid().ToString("N");

        var result = await Flow.WebhookAsync(WebhookBodies.Body(failed));

        Assert.Equal(200, HttpRequests.Status(result));
        Assert.Null(await Flow.FindByLineUserAsync(lineUserId));
        Assert.Null(await Flow.FindByServiceUserAsync("customer-failed-sender"));
        var nonceDoc = await App.Get<ITransientRepository>().ReadNonceAsync(App.Get<ProviderKey>().Nonce(nonce), default);
        Assert.Equal(NonceStates.Failed, nonceDoc?.Document.Status);
    }

    [Fact]
    public async Task LinkingUrl_ClaimedByTheFirstUser_OtherUser409OnBothRoutesAndTheFirstKeepsItsNonce()
    {
        var linkToken = await Flow.SendKeywordAsync(WebhookBodies.NewLineUserId());
        var nonce = await Flow.OpenLinkingUrlAsync(linkToken, "customer-owner");

        var viaLink = await App.Function<LinkFunctions.Functions.AccountLinkRedirectFunction>().Run(
            HttpRequests.Get("/api/link", LinkingFlow.QueryString("linkToken", linkToken)).AsServiceUser("customer-attacker"));
        var viaNonce = await App.Function<LinkFunctions.Functions.CreateAccountLinkRedirectFunction>().Run(
            HttpRequests.PostJson("/api/links/nonce", $$"""{"linkToken":"{{linkToken}}","serviceUserId":"customer-attacker"}"""));

        Assert.Equal(409, HttpRequests.Status(viaLink));
        Assert.Contains("link-token-claimed", HttpRequests.Content(viaLink), StringComparison.Ordinal);
        Assert.Equal(409, HttpRequests.Status(viaNonce));
        Assert.Contains("link-token-claimed", HttpRequests.Content(viaNonce), StringComparison.Ordinal);
        Assert.Equal(nonce, await Flow.OpenLinkingUrlAsync(linkToken, "customer-owner"));
    }

    [Fact]
    public async Task Follow_FromALinkedUserWhoUnblocked_NoPrompt()
    {
        var lineUserId = WebhookBodies.NewLineUserId();
        var nonce = await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(lineUserId), $"customer-{Guid.NewGuid():N}");
        Assert.Equal(200, HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(lineUserId, nonce)))));
        Line.Clear();
        var unblocked = new Dictionary<string, object?>
        {
            ["type"] = "follow", ["mode"] = "active", ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["source"] = new { type = "user", userId = lineUserId }, ["webhookEventId"] = WebhookBodies.NewEventId(),
            ["replyToken"] = Guid.NewGuid().ToString("N"), ["deliveryContext"] = new { isRedelivery = false }, ["follow"] = new { isUnblocked = true },
        };

        var result = await Flow.WebhookAsync(WebhookBodies.Body(unblocked));

        Assert.Equal(200, HttpRequests.Status(result));
        Assert.Empty(Line.Calls);
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
