using System.Net;
using System.Text;
using System.Text.Json;
using LinkFunctions.Functions;
using LinkFunctions.Hosting;
using LinkFunctions.Tests.EndToEnd;
using LinkFunctions.Tests.TestSupport;
using LinkFunctions.Webhook;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// The Messaging API side of every flow, driven through the real functions, recording each sensitive value it sees:
/// link, relink, push, backend link, unlink every way, readiness, and the webhook's failures.
/// </summary>
public sealed partial class LeakFlows(TestApp app, LineFake line, LeakRecord record, FaultInjectionHandler faults)
{
    private LinkingFlow Flow => new(app, line);

    private async Task<string> LinkAsync(string lineUserId, string serviceUserId)
    {
        var linkToken = record.Secret("link token", await Flow.SendKeywordAsync(lineUserId));
        var nonce = record.Secret("nonce", await Flow.OpenLinkingUrlAsync(linkToken, serviceUserId));
        Assert.Equal(200, record.Answer(await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(lineUserId, nonce)))));
        return nonce;
    }

    public async Task MessagingApiAsync()
    {
        var (lineUserId, serviceUserId) = record.NewUsers();
        await LinkAsync(lineUserId, serviceUserId);

        // Relink both ways: the LINE user to another service user, then another LINE user to that service user.
        var (otherLine, otherService) = record.NewUsers();
        await LinkAsync(lineUserId, otherService);
        await LinkAsync(otherLine, otherService);
        Assert.Equal(otherService, (await Flow.FindByLineUserAsync(otherLine))?.ServiceUserId);

        Assert.Equal(200, await PushAsync(otherService));
        Assert.Equal(404, await PushAsync(serviceUserId));
        Assert.Equal(404, record.Answer(await app.Function<GetLinkFunction>().ByLineUser(HttpRequests.Get($"/api/links/line-users/{lineUserId}"), lineUserId)));
        Assert.Equal(404, record.Answer(await app.Function<GetLinkFunction>().ByServiceUser(HttpRequests.Get($"/api/links/users/{serviceUserId}"), serviceUserId)));

        // Unlink every way: keyword, postback, unfollow (policy unlink), and the service's DELETEs.
        Assert.Equal(200, record.Answer(await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.TextMessage(otherLine, "unlink")))));
        await LinkAsync(otherLine, otherService);
        Assert.Equal(200, record.Answer(await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.Postback(otherLine, "action=unlink")))));
        await LinkAsync(otherLine, otherService);
        Assert.Equal(200, record.Answer(await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.Unfollow(otherLine)))));
        await LinkAsync(otherLine, otherService);
        Assert.Equal(204, record.Answer(await app.Function<DeleteLinkFunction>().ByServiceUser(HttpRequests.Get($"/api/links/users/{otherService}"), otherService)));
        await LinkAsync(otherLine, otherService);
        Assert.Equal(204, record.Answer(await app.Function<DeleteLinkFunction>().ByLineUser(HttpRequests.Get($"/api/links/line-users/{otherLine}"), otherLine)));
        Assert.Null(await Flow.FindByServiceUserAsync(otherService));
    }

    /// <summary>The service backend: a link token pushed to the user, the nonce redirect asked for by the backend, a claim refused.</summary>
    public async Task BackendAsync()
    {
        var (lineUserId, serviceUserId) = record.NewUsers();
        var issued = await app.Function<IssueLinkTokenFunction>().Run(HttpRequests.PostJson("/api/links/token", $$"""{"lineUserId":"{{lineUserId}}","send":true}"""));
        Assert.Equal(200, record.Answer(issued));
        var linkToken = record.Secret("link token", JsonSerializer.Deserialize(HttpRequests.Content(issued), ApiJsonContext.Default.IssueLinkTokenResponse)!.LinkToken);
        var created = await app.Function<CreateAccountLinkRedirectFunction>().Run(
            HttpRequests.PostJson("/api/links/nonce", $$"""{"linkToken":"{{linkToken}}","serviceUserId":"{{serviceUserId}}"}"""));
        Assert.Equal(200, record.Answer(created));
        var redirect = JsonSerializer.Deserialize(HttpRequests.Content(created), ApiJsonContext.Default.CreateAccountLinkRedirectResponse)!;
        var nonce = record.Secret("nonce", QueryHelpers.ParseQuery(redirect.RedirectUrl.Query)["nonce"].Single()!);
        var (_, thief) = record.NewUsers();
        Assert.Equal(409, record.Answer(await app.Function<CreateAccountLinkRedirectFunction>().Run(
            HttpRequests.PostJson("/api/links/nonce", $$"""{"linkToken":"{{linkToken}}","serviceUserId":"{{thief}}"}"""))));
        Assert.Equal(200, record.Answer(await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(lineUserId, nonce)))));
        var unknown = record.Secret("unknown link token", "NeverIssued" + Guid.NewGuid().ToString("N"));
        Assert.Equal(404, record.Answer(await app.Function<AccountLinkRedirectFunction>().Run(
            HttpRequests.Get("/api/link", LinkingFlow.QueryString("linkToken", unknown)).AsServiceUser(serviceUserId))));
        Assert.Equal(200, record.Answer(await app.Function<ReadinessFunction>().Run(HttpRequests.Get("/api/health/ready"))));
    }

    /// <summary>Forged, malformed and oversized webhooks, LINE failing, and Cosmos failing under an accountLink (503).</summary>
    public async Task WebhookFailuresAsync()
    {
        var (lineUserId, serviceUserId) = record.NewUsers();
        var keyword = WebhookBodies.Body(WebhookBodies.TextMessage(lineUserId, "link"));
        Assert.Equal(401, record.Answer(await app.Function<LineWebhookFunction>().Run(
            HttpRequests.SignedWebhook(keyword, record.Secret("forged secret", "0123456789abcdef0123456789abcdef")))));
        var garbage = record.Secret("garbage body", "{\"events\":\"" + lineUserId + "\"}");
        Assert.Equal(400, record.Answer(await Flow.WebhookAsync(garbage)));
        var oversize = HttpRequests.SignedWebhook("{\"pad\":\"" + new string('x', WebhookBody.MaxBytes) + lineUserId + "\"}");
        Assert.Equal(413, record.Answer(await app.Function<LineWebhookFunction>().Run(oversize)));

        line.Intercept = call => call.Path.EndsWith("/reply", StringComparison.Ordinal) ? HttpStatusCode.InternalServerError : null;
        Assert.Equal(200, record.Answer(await Flow.WebhookAsync(keyword)));
        line.Intercept = null;

        var nonce = record.Secret("nonce", await Flow.OpenLinkingUrlAsync(record.Secret("link token", await Flow.SendKeywordAsync(lineUserId)), serviceUserId));
        faults.ShouldFail = request => request.Method == HttpMethod.Post && request.RequestUri.OriginalString.Contains("colls/links", StringComparison.Ordinal);
        Assert.Equal(503, record.Answer(await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(lineUserId, nonce)))));
        faults.ShouldFail = _ => true;
        Assert.Equal(503, await PushAsync(serviceUserId));
        faults.ShouldFail = _ => false;
        Assert.Equal(200, record.Answer(await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(lineUserId, nonce)))));
    }

    private async Task<int> PushAsync(string serviceUserId)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"serviceUserId":"{{serviceUserId}}","messages":[{"type":"text","text":"hello"}]}""");
        return record.Answer(await app.Function<PushToUserFunction>().Run(HttpRequests.Post("/api/messages/push", body)));
    }
}
