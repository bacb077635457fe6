using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LinkFunctions.Tests.TestSupport;

/// <summary>
/// Push on the fake, with LINE's retry-key rules: a key is a UUID, and a key already accepted answers 409 with
/// <c>x-line-accepted-request-id</c> and the original sent messages instead of sending again.
/// </summary>
public sealed partial class LineFake
{
    private readonly ConcurrentDictionary<string, (string RequestId, object[] Sent)> acceptedRetryKeys = new(StringComparer.OrdinalIgnoreCase);
    private long sentMessageCounter;

    private void MapPush(WebApplication app) =>
        app.MapPost("/v2/bot/message/push", async (HttpContext context) =>
        {
            if (!Authorized(context.Request))
            {
                return Results.StatusCode(401);
            }

            var retryKey = context.Request.Headers["X-Line-Retry-Key"].FirstOrDefault();
            if (retryKey is not null && !Guid.TryParse(retryKey, out _))
            {
                return Results.Json(new { message = "The value for the 'X-Line-Retry-Key' header is invalid" }, statusCode: 400);
            }

            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var sent = body.RootElement.GetProperty("messages").EnumerateArray()
                .Select(_ => (object)new { id = Interlocked.Increment(ref sentMessageCounter).ToString("D18", System.Globalization.CultureInfo.InvariantCulture), quoteToken = "quote-" + Guid.NewGuid().ToString("N") })
                .ToArray();
            var requestId = context.Response.Headers["x-line-request-id"].ToString();
            if (retryKey is not null && !acceptedRetryKeys.TryAdd(retryKey, (requestId, sent)))
            {
                var original = acceptedRetryKeys[retryKey];
                context.Response.Headers["x-line-accepted-request-id"] = original.RequestId;
                return Results.Json(new { message = "The retry key is already accepted", sentMessages = original.Sent }, statusCode: 409);
            }

            return Results.Json(new { sentMessages = sent });
        });
}
