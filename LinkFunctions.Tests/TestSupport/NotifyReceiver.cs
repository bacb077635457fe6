using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Tests.TestSupport;

/// <summary>One POST the receiver got, raw: the signature is checked against exactly these bytes.</summary>
public sealed record ReceivedNotification(string? EventId, string? Signature, byte[] Body, int AnsweredWith)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string Type => Json.GetProperty("type").GetString()!;

    public string ServiceUserId => Json.GetProperty("serviceUserId").GetString()!;

    public string? LineUserId => Json.TryGetProperty("lineUserId", out var line) ? line.GetString() : null;

    /// <summary>The check a service does: base64 HMAC-SHA256 of the raw body under the shared secret, compared in constant time.</summary>
    public bool SignedWith(string secret) =>
        Signature is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Body))),
            Encoding.ASCII.GetBytes(Signature));
}

/// <summary>
/// A service's notification endpoint on loopback Kestrel. It records every request, and answers 200 unless told
/// otherwise: a status to answer, or <see cref="Down"/> to drop the connection as a receiver that is not there.
/// </summary>
public sealed class NotifyReceiver : IAsyncDisposable
{
    public const string Secret = "notify-test-secret-0123456789abcdef";

    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedNotification> received = new();

    private NotifyReceiver(WebApplication app) => this.app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Every request, failed ones included, in arrival order.</summary>
    public IReadOnlyList<ReceivedNotification> All => [.. received];

    /// <summary>The requests answered 2xx: what the service accepted.</summary>
    public IReadOnlyList<ReceivedNotification> Accepted => [.. received.Where(r => r.AnsweredWith is >= 200 and < 300)];

    public bool Down { get; set; }

    /// <summary>Chooses the status for a request; null answers 200.</summary>
    public Func<ReceivedNotification, HttpStatusCode?>? Answer { get; set; }

    public static async Task<NotifyReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new NotifyReceiver(app);
        app.MapPost("/hooks/line-links", async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var request = new ReceivedNotification(
                context.Request.Headers["X-LinkFunctions-Event-Id"].FirstOrDefault(),
                context.Request.Headers["X-LinkFunctions-Signature"].FirstOrDefault(), buffer.ToArray(), 0);
            if (receiver.Down)
            {
                receiver.received.Enqueue(request with { AnsweredWith = -1 });
                context.Abort();
                return;
            }

            var status = (int)(receiver.Answer?.Invoke(request) ?? HttpStatusCode.OK);
            receiver.received.Enqueue(request with { AnsweredWith = status });
            context.Response.StatusCode = status;
        });
        await app.StartAsync();
        receiver.Url = new Uri(new Uri(app.Urls.First()), "/hooks/line-links");
        return receiver;
    }

    /// <summary>Waits (generously: the machine is shared) until <paramref name="count"/> notifications were accepted.</summary>
    public async Task<IReadOnlyList<ReceivedNotification>> WaitForAcceptedAsync(int count, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (Accepted.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return Accepted;
    }

    public void Clear() => received.Clear();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
