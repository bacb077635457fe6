using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using LinkFunctions.Secrets;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace LinkFunctions.Notifications;

public enum DeliveryOutcome
{
    Delivered,

    /// <summary>408, 429, 5xx or no answer: the receiver may take it later.</summary>
    Retry,

    /// <summary>Any other answer: sending it again would get the same, so it is dead-lettered at once.</summary>
    Refused,
}

public sealed record DeliveryResult(DeliveryOutcome Outcome, int Status, TimeSpan? RetryAfter = null);

/// <summary>
/// POSTs one notification, signed like LINE signs its webhooks: <c>X-LinkFunctions-Signature</c> is the base64
/// HMAC-SHA256 of the raw body under the notify secret, and <c>X-LinkFunctions-Event-Id</c> the id to dedupe on.
/// One attempt only: the outbox is the retry, and a second retry layer here would hold the claim for minutes.
/// </summary>
public sealed class LinkChangeSender(HttpClient http, IOptions<NotificationOptions> options, NotifySecret secret)
{
    public const string HttpClientName = "link-notify";
    public const string SignatureHeader = "X-LinkFunctions-Signature";
    public const string EventIdHeader = "X-LinkFunctions-Event-Id";

    public async Task<DeliveryResult> SendAsync(LinkChangeNotification notification, CancellationToken cancellationToken)
    {
        var body = notification.ToUtf8Json();
        var key = await secret.GetAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Value.NotifyUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(SignatureHeader, Sign(key, body));
        request.Headers.Add(EventIdHeader, notification.Id);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return Classify(response);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new DeliveryResult(DeliveryOutcome.Retry, 0);
        }
    }

    public static string Sign(byte[] key, byte[] body) => Convert.ToBase64String(HMACSHA256.HashData(key, body));

    private static DeliveryResult Classify(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return new DeliveryResult(DeliveryOutcome.Delivered, status);
        }

        return response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || status >= 500
            ? new DeliveryResult(DeliveryOutcome.Retry, status, response.Headers.RetryAfter?.Delta)
            : new DeliveryResult(DeliveryOutcome.Refused, status);
    }
}
