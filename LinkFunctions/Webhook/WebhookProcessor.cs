using System.Diagnostics;
using LinkFunctions.Hosting;
using LinkFunctions.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Webhook;

/// <summary>
/// One webhook request: one capped body read, one HMAC over the raw bytes, one forward parse, then the events,
/// all under one time budget so that the answer reaches LINE within its 2 s.
/// </summary>
public sealed partial class WebhookProcessor(
    ChannelSecretCache secrets, WebhookEventDispatcher dispatcher, IOptions<WebhookOptions> options,
    ILogger<WebhookProcessor> logger, LinkMetrics? metrics = null)
{
    public async Task<WebhookResult> ProcessAsync(Stream body, long? contentLength, string? signatureHeader, CancellationToken requestAborted)
    {
        var started = Stopwatch.GetTimestamp();
        WebhookResult result;
        using (var budget = CancellationTokenSource.CreateLinkedTokenSource(requestAborted))
        {
            budget.CancelAfter(options.Value.TimeBudget);
            try
            {
                result = await ProcessWithinBudgetAsync(body, contentLength, signatureHeader, budget.Token);
            }
            catch (OperationCanceledException) when (budget.IsCancellationRequested)
            {
                // Spent after the body arrived (waiting for the secret, or on the events): 503, so LINE redelivers.
                LogBudgetSpent(logger, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                result = new WebhookResult(WebhookStatus.Retry, "The request did not finish within the webhook time budget.");
            }
            catch (Exception ex)
            {
                // No secret held and none could be fetched (Key Vault down or denied), or a dependency cancelled itself
                // (an SDK's own timeout is an OperationCanceledException too): fail closed, and let LINE redeliver.
                LogFailed(logger, SafeError.Describe(ex));
                result = new WebhookResult(WebhookStatus.Retry, "The webhook could not be verified now; LINE will redeliver it.");
            }
        }

        // Every answer, the 503s above all: they are the ones that count against LINE's 2 s.
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        LogDone(logger, result.Status, elapsed);
        metrics?.WebhookAnswered(result.Status.ToString(), elapsed);
        return result;
    }

    private async Task<WebhookResult> ProcessWithinBudgetAsync(Stream stream, long? contentLength, string? signatureHeader, CancellationToken cancellationToken)
    {
        if (contentLength > WebhookBody.MaxBytes)
        {
            return new WebhookResult(WebhookStatus.TooLarge, $"The body exceeds {WebhookBody.MaxBytes} bytes.");
        }

        // Decode the header before reading: a request without a well-formed signature costs no buffering.
        var signature = new byte[WebhookSignature.Length];
        if (!WebhookSignature.TryDecode(signatureHeader, signature))
        {
            var reason = signatureHeader is null ? "missing" : "malformed";
            LogSignatureFailure(logger, reason);
            metrics?.SignatureFailed(reason);
            return new WebhookResult(WebhookStatus.BadSignature, "The x-line-signature header is missing or malformed.");
        }

        WebhookBody? body;
        try
        {
            body = await WebhookBody.ReadAsync(stream, contentLength, WebhookBody.MaxBytes, cancellationToken);
        }
        catch (Exception ex) when (WebhookBody.IsIncomplete(ex, cancellationToken))
        {
            // The client stopped sending, went away, or sent too slowly for the budget: its problem, not an outage of ours.
            LogBodyIncomplete(logger, SafeError.Describe(ex));
            return new WebhookResult(WebhookStatus.BadBody, "The request body did not arrive in full within the time budget.");
        }

        if (body is null)
        {
            return new WebhookResult(WebhookStatus.TooLarge, $"The body exceeds {WebhookBody.MaxBytes} bytes.");
        }

        using (body)
        {
            if (!await VerifyAsync(body, signature, cancellationToken))
            {
                LogSignatureFailure(logger, "mismatch");
                metrics?.SignatureFailed("mismatch");
                return new WebhookResult(WebhookStatus.BadSignature, "The x-line-signature does not match the body.");
            }

            // Only the events a handler acts on come back, with their strings; the others cost their parse alone.
            var payload = WebhookPayloadReader.TryRead(body.Span, dispatcher.ActsOn, out var problem);
            if (payload is null)
            {
                return new WebhookResult(WebhookStatus.BadBody, problem);
            }

            return await dispatcher.DispatchAsync(payload.Events, cancellationToken) ? WebhookResult.Ok
                : new WebhookResult(WebhookStatus.Retry, "A state-changing event could not be stored; LINE will redeliver it.");
        }
    }

    /// <summary>Against the cached secret, then, after a reissue in the console, against a rate-limited refetch.</summary>
    private async Task<bool> VerifyAsync(WebhookBody body, byte[] signature, CancellationToken cancellationToken)
    {
        if (WebhookSignature.Matches(await secrets.GetAsync(cancellationToken), body.Span, signature))
        {
            return true;
        }

        var fresh = await secrets.TryRefetchAsync(cancellationToken);
        return fresh is not null && WebhookSignature.Matches(fresh, body.Span, signature);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook rejected: signature {Reason}.")]
    private static partial void LogSignatureFailure(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook answered {Status} in {ElapsedMs:F0} ms.")]
    private static partial void LogDone(ILogger logger, WebhookStatus status, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook not processed: {Detail}")]
    private static partial void LogFailed(ILogger logger, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook refused: the body did not arrive in full ({Detail}).")]
    private static partial void LogBodyIncomplete(ILogger logger, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook time budget spent after {ElapsedMs:F0} ms before the events were processed.")]
    private static partial void LogBudgetSpent(ILogger logger, double elapsedMs);
}
