using System.Net;
using System.Text.Json;
using LinkFunctions.Functions;
using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LinkFunctions.Tests.EndToEnd;

/// <summary>
/// Every log line of every category, framework included, at Trace, over the end-to-end flows: none may hold a
/// nonce, link token, raw LINE or service user ID, or a channel credential (design: LogIds.Hash only).
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class LogPrivacyTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    private readonly CapturingLoggerProvider logs = new();
    private readonly FaultInjectionHandler faults = new();
    private readonly Dictionary<string, string> secrets = LeakScan.ChannelSecrets();
    private LinkingFlow Flow => new(App, Line);

    protected override void ConfigureServices(IServiceCollection services)
    {
        logs.AddTo(services);
        services.Replace(ServiceDescriptor.Singleton(_ =>
        {
            var options = StorageExtensions.ClientOptions(local: true);
            options.CustomHandlers.Add(faults);
            return new CosmosClient(Cosmos.ConnectionString, options);
        }));
    }

    [Fact]
    public async Task MessagingApiFlow_EveryLogLine_NoSecretTokenNonceOrRawId()
    {
        await WarmUpAsync();
        var (lineUserId, serviceUserId) = NewUsers();

        var linkToken = Secret("link token", await Flow.SendKeywordAsync(lineUserId));
        var nonce = Secret("nonce", await Flow.OpenLinkingUrlAsync(linkToken, serviceUserId));
        var accountLink = WebhookBodies.Body(WebhookBodies.AccountLink(lineUserId, nonce));
        Assert.Equal(200, HttpRequests.Status(await Flow.WebhookAsync(accountLink)));
        Assert.Equal(200, HttpRequests.Status(await Flow.WebhookAsync(accountLink)));
        Assert.Equal(serviceUserId, (await Flow.FindByLineUserAsync(lineUserId))?.ServiceUserId);
        Assert.Equal(lineUserId, (await Flow.FindByServiceUserAsync(serviceUserId))?.LineUserId);

        AssertLogsClean("accountLink for service user");
    }

    [Fact]
    public async Task FailureFlows_EveryLogLine_NoSecretTokenNonceOrRawId()
    {
        await WarmUpAsync();
        var (lineUserId, serviceUserId) = NewUsers();
        var attacker = Secret("attacker LINE user ID", WebhookBodies.NewLineUserId());

        // LINE fails: the link token endpoint once (retried), every reply.
        var linkTokenFailures = 0;
        Line.Intercept = call =>
            call.Path.EndsWith("/linkToken", StringComparison.Ordinal) && Interlocked.Increment(ref linkTokenFailures) == 1 ? HttpStatusCode.InternalServerError
            : call.Path.EndsWith("/reply", StringComparison.Ordinal) ? HttpStatusCode.InternalServerError
            : null;
        Assert.Equal(200, HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.TextMessage(lineUserId, "link")))));
        var linkToken = Secret("link token", LinkTokenIssuedTo(lineUserId));
        Line.Intercept = null;

        // A forged signature, an unknown link token, a nonce presented by another LINE user, a late event.
        var forged = HttpRequests.SignedWebhook(WebhookBodies.Body(WebhookBodies.TextMessage(lineUserId, "link")), Secret("wrong secret", "0123456789abcdef0123456789abcdef"));
        Assert.Equal(401, HttpRequests.Status(await App.Function<LineWebhookFunction>().Run(forged)));
        var unknown = Secret("unknown link token", "NeverIssuedToken" + Guid.NewGuid().ToString("N"));
        var notFound = HttpRequests.Get("/api/link", LinkingFlow.QueryString("linkToken", unknown)).AsServiceUser(serviceUserId);
        Assert.Equal(404, HttpRequests.Status(await App.Function<AccountLinkRedirectFunction>().Run(notFound)));
        var stolen = Secret("nonce", await Flow.OpenLinkingUrlAsync(linkToken, serviceUserId));
        Assert.Equal(200, HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(attacker, stolen)))));
        var late = DateTimeOffset.UtcNow.Add(LinkingPolicy.NonceLifetime).AddMinutes(1).ToUnixTimeMilliseconds();
        // A link token belongs to its first claim (one nonce per token), so each case below gets a token of its own.
        var lateNonce = Secret("late nonce", await Flow.OpenLinkingUrlAsync(Secret("link token", await Flow.SendKeywordAsync(lineUserId)), serviceUserId));
        Assert.Equal(200, HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(lineUserId, lateNonce, timestamp: late)))));

        // Cosmos fails: during the link write (LINE redelivers), and under the lookups.
        var nonce = Secret("retried nonce", await Flow.OpenLinkingUrlAsync(Secret("link token", await Flow.SendKeywordAsync(lineUserId)), serviceUserId));
        faults.ShouldFail = request => request.Method == HttpMethod.Post && request.RequestUri.OriginalString.Contains("colls/links", StringComparison.Ordinal);
        Assert.Equal(503, HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(lineUserId, nonce)))));
        faults.ShouldFail = _ => true;
        Assert.Equal(503, HttpRequests.Status(await App.Function<GetLinkFunction>().ByLineUser(HttpRequests.Get($"/api/links/line-users/{lineUserId}"), lineUserId)));
        Assert.Equal(503, HttpRequests.Status(await App.Function<GetLinkFunction>().ByServiceUser(HttpRequests.Get($"/api/links/users/{serviceUserId}"), serviceUserId)));

        AssertLogsClean("accountLink not linked");
    }

    [Fact]
    public async Task BackendFlows_EveryLogLine_NoSecretTokenNonceOrRawId()
    {
        await using var delegated = await TestApp.StartAsync(Cosmos, Line, settings =>
        {
            settings["Auth:Mode"] = "Delegated";
            settings.Remove("Auth:AllowUnverifiedPrincipalHeaders");
        }, logs.AddTo);
        var (lineUserId, serviceUserId) = NewUsers();

        var issued = await delegated.Function<IssueLinkTokenFunction>().Run(HttpRequests.PostJson("/api/links/token", $$"""{"lineUserId":"{{lineUserId}}","send":true}"""));
        Assert.Equal(200, HttpRequests.Status(issued));
        var linkToken = Secret("link token", JsonSerializer.Deserialize(HttpRequests.Content(issued), ApiJsonContext.Default.IssueLinkTokenResponse)!.LinkToken);
        var page = await delegated.Function<AccountLinkRedirectFunction>().Run(HttpRequests.Get("/api/link", LinkingFlow.QueryString("linkToken", linkToken)));
        Assert.Equal(302, HttpRequests.Status(page));
        var created = await delegated.Function<CreateAccountLinkRedirectFunction>().Run(
            HttpRequests.PostJson("/api/links/nonce", $$"""{"linkToken":"{{linkToken}}","serviceUserId":"{{serviceUserId}}"}"""));
        Assert.Equal(200, HttpRequests.Status(created));
        var redirect = JsonSerializer.Deserialize(HttpRequests.Content(created), ApiJsonContext.Default.CreateAccountLinkRedirectResponse)!;
        var nonce = Secret("nonce", QueryHelpers.ParseQuery(redirect.RedirectUrl.Query)["nonce"].Single()!);
        var flow = new LinkingFlow(delegated, Line);
        Assert.Equal(200, HttpRequests.Status(await flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(lineUserId, nonce)))));
        Assert.Equal(serviceUserId, (await flow.FindByLineUserAsync(lineUserId))?.ServiceUserId);
        Assert.Equal(lineUserId, (await flow.FindByServiceUserAsync(serviceUserId))?.LineUserId);

        AssertLogsClean("accountLink for service user");
    }

    /// <summary>A cold app's first channel token can spend the webhook's budget; no assertion rides on this event.</summary>
    private Task WarmUpAsync() => Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.TextMessage(WebhookBodies.NewLineUserId(), "link")));

    private (string LineUserId, string ServiceUserId) NewUsers() =>
        (Secret("LINE user ID", WebhookBodies.NewLineUserId()), Secret("service user ID", $"customer-{Guid.NewGuid():N}"));

    private string Secret(string name, string value)
    {
        secrets[$"{name} #{secrets.Count}"] = value;
        return value;
    }

    private string LinkTokenIssuedTo(string lineUserId)
    {
        var reply = Line.CallsTo("/v2/bot/message/reply").Last(call => call.Body.Contains("linkToken=", StringComparison.Ordinal));
        Assert.Equal(2, Line.CallsTo($"/v2/bot/user/{lineUserId}/linkToken").Count);
        var url = LineFake.ReplyText(reply)!.Split('\n').Single(line => line.StartsWith("https://", StringComparison.Ordinal));
        return QueryHelpers.ParseQuery(new Uri(url).Query)["linkToken"].Single()!;
    }

    /// <summary>Scans every captured line; the expected message proves the flow's own logs were captured.</summary>
    private void AssertLogsClean(string expectedMessage)
    {
        var entries = logs.Entries;
        Assert.Contains(entries, entry => entry.Text.StartsWith(expectedMessage, StringComparison.Ordinal));
        LeakScan.AssertAbsent(entries.Select(entry => $"[{entry.Category} {entry.Level}] {entry.Text}"), secrets);
    }
}
