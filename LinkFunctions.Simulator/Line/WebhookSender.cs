using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Simulator.Line;

/// <summary>What the app answered a webhook.</summary>
public sealed record WebhookDelivery(long InspectorId, int? Status, double Milliseconds);

/// <summary>
/// Sends webhooks to the app as LINE does: one POST with the events, signed with the channel secret in
/// x-line-signature. Redelivery resends the same events (same webhookEventId) with deliveryContext.isRedelivery.
/// </summary>
public sealed class WebhookSender(HttpClient http, IOptions<SimulatorOptions> options, Inspector inspector)
{
    public const string SignatureHeader = "x-line-signature";
    public const string WebhookPath = "api/line/webhook";

    /// <summary>The Official Account's own user ID: the destination of every webhook.</summary>
    public static readonly string BotUserId = LineIds.NewUserId();

    public static string Sign(string channelSecret, byte[] body) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(channelSecret), body));

    public Task<WebhookDelivery> SendAsync(params JsonObject[] events) =>
        PostAsync(new JsonObject { ["destination"] = BotUserId, ["events"] = new JsonArray([.. events]) }, redelivery: false);

    public Task<WebhookDelivery>? RedeliverAsync(long inspectorId)
    {
        var entry = inspector.Find(inspectorId);
        if (entry is null || entry.Kind != "webhook")
        {
            return null;
        }

        var body = JsonNode.Parse(entry.RequestBody)!.AsObject();
        foreach (var e in body["events"]!.AsArray())
        {
            e!["deliveryContext"] = new JsonObject { ["isRedelivery"] = true };
        }

        return PostAsync(body, redelivery: true);
    }

    private async Task<WebhookDelivery> PostAsync(JsonObject body, bool redelivery)
    {
        var json = body.ToJsonString();
        var bytes = Encoding.UTF8.GetBytes(json);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Value.AppBaseUrl, WebhookPath));
        request.Content = new ByteArrayContent(bytes);
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.Add(SignatureHeader, Sign(options.Value.ChannelSecret, bytes));
        var types = string.Join(", ", body["events"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()));
        var summary = (redelivery ? "redelivered " : "") + types;
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await http.SendAsync(request);
            var answer = await response.Content.ReadAsStringAsync();
            var entry = inspector.Record("webhook", summary, "POST", request.RequestUri!.AbsolutePath, (int)response.StatusCode, clock.Elapsed.TotalMilliseconds, json, answer);
            return new WebhookDelivery(entry.Id, entry.Status, entry.Milliseconds);
        }
        catch (HttpRequestException ex)
        {
            // LINE would count this as a failed delivery; the panel shows it and offers redelivery.
            var entry = inspector.Record("webhook", summary, "POST", request.RequestUri!.AbsolutePath, null, clock.Elapsed.TotalMilliseconds, json, "no answer: " + ex.Message);
            return new WebhookDelivery(entry.Id, null, entry.Milliseconds);
        }
    }
}
