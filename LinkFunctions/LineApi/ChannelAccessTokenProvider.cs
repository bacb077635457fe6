using System.Net;
using System.Net.Http.Json;
using System.Text;
using LinkFunctions.Hosting;
using LinkFunctions.Secrets;
using Microsoft.Extensions.Options;

namespace LinkFunctions.LineApi;

/// <summary>
/// Stateless channel access tokens (15 min, designed to be issued per use), cached until shortly before
/// expiry with one issue request in flight.
/// </summary>
public sealed class ChannelAccessTokenProvider(
    HttpClient http, ChannelSecretCache secrets, IOptions<LineOptions> options, TimeProvider time)
{
    public const string HttpClientName = "line-oauth";
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(2);

    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile CachedToken? cached;

    private sealed record CachedToken(string Value, DateTimeOffset RenewAt);

    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        var token = cached;
        if (token is not null && time.GetUtcNow() < token.RenewAt)
        {
            return token.Value;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            token = cached;
            if (token is null || time.GetUtcNow() >= token.RenewAt)
            {
                token = await IssueAsync(cancellationToken);
                cached = token;
            }

            return token.Value;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Drops a token LINE refused, so the next call issues a new one.</summary>
    public void Invalidate() => cached = null;

    private async Task<CachedToken> IssueAsync(CancellationToken cancellationToken)
    {
        var secret = await secrets.GetAsync(cancellationToken);
        var response = await RequestAsync(secret, cancellationToken);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized)
        {
            // The secret may have been reissued in the console: refetch it (rate-limited) and try once more.
            response.Dispose();
            var fresh = await secrets.TryRefetchAsync(cancellationToken);
            if (fresh is null)
            {
                throw new LineApiException("token issue", response.StatusCode, LineRequest.RequestId(response));
            }

            response = await RequestAsync(fresh, cancellationToken);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new LineApiException("token issue", response.StatusCode, LineRequest.RequestId(response));
            }

            var body = await response.Content.ReadFromJsonAsync(LineJsonContext.Default.ChannelAccessTokenResponse, cancellationToken);
            if (string.IsNullOrEmpty(body?.AccessToken) || body.ExpiresIn <= 0)
            {
                throw new LineApiException("token issue", response.StatusCode, LineRequest.RequestId(response));
            }

            var lifetime = TimeSpan.FromSeconds(body.ExpiresIn);
            var renewAt = time.GetUtcNow() + (lifetime > RenewBefore * 2 ? lifetime - RenewBefore : lifetime / 2);
            return new CachedToken(body.AccessToken, renewAt);
        }
    }

    private async Task<HttpResponseMessage> RequestAsync(byte[] secret, CancellationToken cancellationToken)
    {
        var request = LineRequest.Create(HttpMethod.Post, "oauth2/v3/token", "token issue");
        request.Content = new FormUrlEncodedContent(
        [
            new("grant_type", "client_credentials"),
            new("client_id", options.Value.ChannelId),
            new("client_secret", Encoding.UTF8.GetString(secret)),
        ]);
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.ExecutionRejectedException)
        {
            throw new LineApiException("token issue", null, null, ex);
        }
    }
}
