using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Simulator.Service;

/// <summary>A notification as "your service" received it, and whether its signature checked out.</summary>
public sealed record ReceivedNotification(string? EventId, bool SignatureValid, string Body, DateTimeOffset ReceivedAt);

/// <summary>
/// "Your service"'s receiver for the app's link notifications (Linking__NotifyUrl). A bad signature is refused with
/// 401 and kept only to show it on the page: nothing else acts on it.
/// </summary>
public sealed class NotificationInbox(IOptions<SimulatorOptions> options)
{
    public const string Path = "/service/notifications";

    private readonly ConcurrentQueue<ReceivedNotification> received = new();

    public IReadOnlyList<ReceivedNotification> All => [.. received];

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost(Path, async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var valid = NotificationSignature.IsValid(options.Value.NotifySecret, body, request.Headers[NotificationSignature.SignatureHeader].FirstOrDefault());
            received.Enqueue(new ReceivedNotification(
                request.Headers[NotificationSignature.EventIdHeader].FirstOrDefault(), valid, Encoding.UTF8.GetString(body), DateTimeOffset.UtcNow));
            return valid ? Results.NoContent() : Results.Unauthorized();
        });
        app.MapGet("/service/api/notifications", () => All);
    }
}
