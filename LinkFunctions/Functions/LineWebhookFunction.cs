using LinkFunctions.Hosting;
using LinkFunctions.Webhook;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace LinkFunctions.Functions;

/// <summary>LINE's webhook. Anonymous at the host: the x-line-signature over the raw body is the authentication.</summary>
public sealed class LineWebhookFunction(WebhookProcessor processor)
{
    [Function("LineWebhook")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "line/webhook")] HttpRequest request)
    {
        // LINE sends one signature; with two, which one a proxy checked is anyone's guess, so neither is trusted.
        var signatures = request.Headers[WebhookSignature.HeaderName];
        var signature = signatures.Count switch { 0 => null, 1 => signatures[0], _ => "" };
        var result = await processor.ProcessAsync(request.Body, request.ContentLength, signature, request.HttpContext.RequestAborted);
        return result.Status switch
        {
            WebhookStatus.Ok => new OkResult(),
            WebhookStatus.BadSignature => HttpResults.Problem(StatusCodes.Status401Unauthorized, "invalid-signature", "Invalid signature", result.Problem),
            WebhookStatus.TooLarge => HttpResults.Problem(StatusCodes.Status413PayloadTooLarge, "body-too-large", "Payload too large", result.Problem),
            WebhookStatus.BadBody => HttpResults.BadRequest("invalid-webhook-body", result.Problem!),
            _ => HttpResults.Problem(StatusCodes.Status503ServiceUnavailable, "redeliver", "Not stored", result.Problem),
        };
    }
}
