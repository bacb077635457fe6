using System.Text.Json;
using LinkFunctions.Hosting;
using LinkFunctions.LineApi;
using LinkFunctions.Linking;
using LinkFunctions.Messaging;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Functions;

public sealed record PushToUserRequest(string? ServiceUserId, JsonElement Messages);

public sealed record PushToUserResponse(Guid RetryKey, IReadOnlyList<SentMessage> SentMessages);

/// <summary>The service backend sends LINE messages to one of its users by service user ID.</summary>
public sealed class PushToUserFunction(PushToUserService push, ILogger<PushToUserFunction> logger)
{
    public const string RetryKeyHeader = "X-Line-Retry-Key";

    [Function("PushToUser")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "messages/push")] HttpRequest request)
    {
        if (!TryRetryKey(request, out var retryKey))
        {
            return HttpResults.BadRequest("invalid-retry-key", $"{RetryKeyHeader} must be one UUID (e.g. 123e4567-e89b-12d3-a456-426614174000).");
        }

        // Echoed on every answer: after a 5xx the push may still have gone out, and only the same key retries it safely.
        request.HttpContext.Response.Headers[RetryKeyHeader] = retryKey.ToString("D");
        var (body, error) = await JsonRequestReader.ReadAsync(request, ApiJsonContext.Default.PushToUserRequest);
        if (error is not null)
        {
            return error;
        }

        if (!Identifiers.IsServiceUserId(body!.ServiceUserId))
        {
            return HttpResults.BadRequest("invalid-service-user-id", Identifiers.ServiceUserIdRule);
        }

        if (PushMessages.Problem(body.Messages) is { } problem)
        {
            return HttpResults.BadRequest("invalid-messages", problem);
        }

        try
        {
            return await push.PushAsync(body.ServiceUserId!, body.Messages, retryKey, request.HttpContext.RequestAborted) switch
            {
                PushOutcome.Sent sent => HttpResults.Json(new PushToUserResponse(retryKey, sent.SentMessages), ApiJsonContext.Default.PushToUserResponse),
                PushOutcome.RateLimited limited => HttpResults.Problem(
                    StatusCodes.Status429TooManyRequests, "line-rate-limited", "LINE rate limit reached",
                    $"LINE answered 429: the channel's rate limit or its monthly message quota is reached; nothing was sent (x-line-request-id {limited.LineRequestId ?? "none"})."),
                _ => HttpResults.NotFound("link-not-found", "The service user is not linked to a LINE account."),
            };
        }
        catch (Exception ex)
        {
            return DependencyFailure.Map(ex, logger);
        }
    }

    /// <summary>The caller's key makes its own retries idempotent; without one, a fresh key still guards ours.</summary>
    private static bool TryRetryKey(HttpRequest request, out Guid retryKey)
    {
        var values = request.Headers[RetryKeyHeader];
        retryKey = Guid.NewGuid();
        return values.Count switch
        {
            0 => true,
            1 => Guid.TryParseExact(values[0], "D", out retryKey),
            _ => false,
        };
    }
}
