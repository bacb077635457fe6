using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace LinkFunctions.LineApi;

/// <summary>The Messaging API calls the linking flow makes: issue a link token, reply, push.</summary>
public class LineMessagingClient(HttpClient http, ChannelAccessTokenProvider tokens)
{
    public const string HttpClientName = "line-messaging";

    /// <summary>POST /v2/bot/user/{userId}/linkToken: valid 10 minutes, single use.</summary>
    public virtual async Task<string> IssueLinkTokenAsync(string lineUserId, CancellationToken cancellationToken)
    {
        var request = LineRequest.Create(HttpMethod.Post, $"v2/bot/user/{Uri.EscapeDataString(lineUserId)}/linkToken", "issue link token");
        using var response = await SendAsync(request, cancellationToken);
        var body = await response.Content.ReadFromJsonAsync(LineJsonContext.Default.LinkTokenResponse, cancellationToken);
        return string.IsNullOrEmpty(body?.LinkToken)
            ? throw new LineApiException("issue link token", response.StatusCode, LineRequest.RequestId(response))
            : body.LinkToken;
    }

    /// <summary>Never retried: a reply token is single use and reply accepts no retry key.</summary>
    public virtual async Task ReplyAsync(string replyToken, IReadOnlyList<TextMessage> messages, CancellationToken cancellationToken)
    {
        var request = LineRequest.Create(HttpMethod.Post, "v2/bot/message/reply", "reply", retry: false);
        request.Content = JsonContent.Create(new ReplyMessageRequest(replyToken, messages), LineJsonContext.Default.ReplyMessageRequest);
        using var response = await SendAsync(request, cancellationToken);
    }

    /// <summary>
    /// The retry key goes on the first attempt and stays the same on every retry, so LINE answers a duplicate
    /// with 409 instead of sending twice; 409 therefore counts as delivered.
    /// </summary>
    public virtual async Task PushAsync(string to, IReadOnlyList<TextMessage> messages, Guid retryKey, CancellationToken cancellationToken)
    {
        using var response = await SendPushAsync(
            JsonContent.Create(new PushMessageRequest(to, messages), LineJsonContext.Default.PushMessageRequest), retryKey, cancellationToken);
    }

    /// <summary>Push of message objects the caller built (checked by the caller); answers LINE's sent messages.</summary>
    public virtual async Task<IReadOnlyList<SentMessage>> PushAsync(string to, JsonElement messages, Guid retryKey, CancellationToken cancellationToken)
    {
        using var response = await SendPushAsync(
            JsonContent.Create(new RawPushMessageRequest(to, messages), LineJsonContext.Default.RawPushMessageRequest), retryKey, cancellationToken);
        try
        {
            var body = await response.Content.ReadFromJsonAsync(LineJsonContext.Default.PushMessageResponse, cancellationToken);
            return body?.SentMessages ?? [];
        }
        catch (JsonException)
        {
            // LINE accepted the messages; an odd answer body must not make the caller think they were not sent.
            return [];
        }
    }

    private async Task<HttpResponseMessage> SendPushAsync(HttpContent content, Guid retryKey, CancellationToken cancellationToken)
    {
        var request = LineRequest.Create(HttpMethod.Post, "v2/bot/message/push", "push");
        request.Headers.Add("X-Line-Retry-Key", retryKey.ToString("D"));
        request.Content = content;
        return await SendAsync(request, cancellationToken, HttpStatusCode.Conflict);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken, HttpStatusCode? alsoSuccess = null)
    {
        var endpoint = request.Options.TryGetValue(LineRequest.Endpoint, out var name) ? name : "call";
        using (request)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetAsync(cancellationToken));
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or Polly.ExecutionRejectedException)
            {
                // Every attempt failed or timed out (the pipeline's own timeouts surface as Polly exceptions).
                throw new LineApiException(endpoint, null, null, ex);
            }

            if (response.IsSuccessStatusCode || response.StatusCode == alsoSuccess)
            {
                return response;
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                tokens.Invalidate();
            }

            var requestId = LineRequest.RequestId(response);
            var status = response.StatusCode;
            response.Dispose();
            throw new LineApiException(endpoint, status, requestId);
        }
    }
}
