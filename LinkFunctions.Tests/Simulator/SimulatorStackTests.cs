using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using LinkFunctions.Simulator;
using LinkFunctions.Simulator.Line;
using LinkFunctions.Simulator.Service;
using LinkFunctions.Tests.TestSupport;

namespace LinkFunctions.Tests.Simulator;

/// <summary>The simulator against the real app (dev host) and as LINE's API, over HTTP, without a browser.</summary>
[Collection(CosmosCollection.Name)]
public sealed class SimulatorStackTests(CosmosFixture cosmos) : IAsyncLifetime
{
    private SimulatorStack stack = null!;
    private HttpClient simulator = null!;

    public async Task InitializeAsync()
    {
        stack = await SimulatorStack.StartAsync(cosmos);
        simulator = new HttpClient { BaseAddress = stack.SimulatorUrl };
    }

    public async Task DisposeAsync()
    {
        simulator.Dispose();
        await stack.DisposeAsync();
    }

    private async Task<string> NewFriendAsync(string name)
    {
        var user = (await (await simulator.PostAsJsonAsync("/sim/api/users", new { name })).Content.ReadFromJsonAsync<JsonObject>())!;
        var userId = user["userId"]!.GetValue<string>();
        (await simulator.PostAsync($"/sim/api/users/{userId}/follow", null)).EnsureSuccessStatusCode();
        return userId;
    }

    [Fact]
    public async Task Follow_SignedWebhook_AppAcceptsAndRepliesWithTheLinkingUrl()
    {
        var userId = await NewFriendAsync("Taro");

        var chat = stack.Get<LineUsers>().Chat(userId);
        var prompt = Assert.Single(chat, m => m.From == "bot");
        Assert.Contains("/api/link?linkToken=", prompt.Message["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var webhook = Assert.Single(stack.Get<Inspector>().Entries(), e => e.Kind == "webhook");
        Assert.Equal(200, webhook.Status);
        Assert.Contains(stack.Get<Inspector>().Entries(), e => e.Kind == "api" && e.Path == "/v2/bot/message/reply" && e.Status == 200);
    }

    [Fact]
    public async Task Redeliver_Webhook_SameEventIdMarkedAsRedelivery()
    {
        await NewFriendAsync("Jiro");
        var first = Assert.Single(stack.Get<Inspector>().Entries(), e => e.Kind == "webhook");

        (await simulator.PostAsync($"/sim/api/inspector/{first.Id}/redeliver", null)).EnsureSuccessStatusCode();

        var again = stack.Get<Inspector>().Entries().Last(e => e.Kind == "webhook");
        var firstEvent = JsonNode.Parse(first.RequestBody)!["events"]![0]!;
        var againEvent = JsonNode.Parse(again.RequestBody)!["events"]![0]!;
        Assert.Equal(firstEvent["webhookEventId"]!.GetValue<string>(), againEvent["webhookEventId"]!.GetValue<string>());
        Assert.True(againEvent["deliveryContext"]!["isRedelivery"]!.GetValue<bool>());
        Assert.Equal(200, again.Status);
    }

    [Fact]
    public async Task Push_SameRetryKeyTwice_SecondAnswers409WithTheAcceptedRequestIdAndSendsNothing()
    {
        var userId = await NewFriendAsync("Saburo");
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = new SimulatorOptions().ChannelId, ["client_secret"] = new SimulatorOptions().ChannelSecret,
        });
        var token = (await (await simulator.PostAsync("/oauth2/v3/token", form)).Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>();
        var retryKey = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> PushAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/bot/message/push");
            request.Headers.Authorization = new("Bearer", token);
            request.Headers.Add(MessagingApi.RetryKeyHeader, retryKey);
            request.Content = new StringContent($$"""{"to":"{{userId}}","messages":[{"type":"text","text":"hello"}]}""", Encoding.UTF8, "application/json");
            return await simulator.SendAsync(request);
        }

        using var first = await PushAsync();
        using var second = await PushAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(first.Headers.GetValues("x-line-request-id").Single(), second.Headers.GetValues("x-line-accepted-request-id").Single());
        Assert.Single(stack.Get<LineUsers>().Chat(userId), m => m.From == "bot" && m.Message["text"]?.GetValue<string>() == "hello");
    }

    [Fact]
    public async Task NotificationReceiver_SignedAndTampered_AcceptsOnlyTheSignedOne()
    {
        var body = Encoding.UTF8.GetBytes("""{"id":"n1","type":"link.unlinked","serviceUserId":"alice","method":"service","occurredAt":"2026-11-01T00:00:00Z"}""");
        async Task<HttpStatusCode> SendAsync(string signature)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, NotificationInbox.Path) { Content = new ByteArrayContent(body) };
            request.Headers.Add(NotificationSignature.SignatureHeader, signature);
            request.Headers.Add(NotificationSignature.EventIdHeader, "n1");
            return (await simulator.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(NotificationSignature.Compute(new SimulatorOptions().NotifySecret, body)));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(NotificationSignature.Compute("wrong-secret", body)));
        Assert.Equal([true, false], stack.Get<NotificationInbox>().All.Select(n => n.SignatureValid));
    }
}
