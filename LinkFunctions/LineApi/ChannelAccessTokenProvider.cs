using System.Net;
using System.Net.Http.Json;
using System.Text;
using LinkFunctions.Hosting;
using LinkFunctions.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkFunctions.LineApi;

/// <summary>
/// Stateless channel access tokens (15 min, designed to be issued per use), renewed in the background shortly before
/// expiry with one issue request in flight. While renewal fails (LINE or the secret unavailable), the held token is
/// served until it expires; only a caller with no valid token waits for an issue.
/// </summary>
public sealed partial class ChannelAccessTokenProvider
{
    public const string HttpClientName = "line-oauth";
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(2);

    /// <summary>A token this close to expiry is not handed out: the call it goes with could outlive it.</summary>
    public static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(5);

    /// <summary>While a valid token is held, a failed renewal is not retried sooner than this.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan IssueTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient http;
    private readonly ChannelSecretCache secrets;
    private readonly IOptions<LineOptions> options;
    private readonly TimeProvider time;
    private readonly ILogger<ChannelAccessTokenProvider> logger;
    private readonly SharedFetch<CachedToken> issue;
    private volatile CachedToken? cached;
    private long lastFailureTicks = DateTimeOffset.MinValue.UtcTicks;

    public ChannelAccessTokenProvider(
        HttpClient http, ChannelSecretCache secrets, IOptions<LineOptions> options, TimeProvider time, ILogger<ChannelAccessTokenProvider> logger)
    {
        this.http = http;
        this.secrets = secrets;
        this.options = options;
        this.time = time;
        this.logger = logger;
        issue = new SharedFetch<CachedToken>(IssueAndKeepAsync, IssueTimeout, time);
    }

    private sealed record CachedToken(string Value, DateTimeOffset RenewAt, DateTimeOffset ExpiresAt);

    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        var token = cached;
        var now = time.GetUtcNow();
        if (token is not null && now < token.ExpiresAt - ExpiryMargin)
        {
            if (now >= token.RenewAt && now.UtcTicks - Interlocked.Read(ref lastFailureTicks) >= RetryAfterFailure.Ticks)
            {
                _ = issue.StartOrJoin();
            }

            return token.Value;
        }

        return (await issue.StartOrJoin().WaitAsync(cancellationToken)).Value;
    }

    /// <summary>Issues a token now, or joins the issue under way, and waits for it with the caller's token.</summary>
    internal async Task RenewAsync(CancellationToken cancellationToken) => await issue.StartOrJoin().WaitAsync(cancellationToken);

    /// <summary>Drops a token LINE refused, so the next call issues a new one.</summary>
    public void Invalidate() => cached = null;

    private async Task<CachedToken> IssueAndKeepAsync(CancellationToken cancellationToken)
    {
        try
        {
            var token = await IssueAsync(cancellationToken);
            cached = token;
            return token;
        }
        catch (Exception ex)
        {
            Interlocked.Exchange(ref lastFailureTicks, time.GetUtcNow().UtcTicks);
            var held = cached;
            var validFor = held is null ? TimeSpan.Zero : held.ExpiresAt - ExpiryMargin - time.GetUtcNow();
            if (validFor > TimeSpan.Zero)
            {
                LogRenewalFailed(logger, SafeError.Describe(ex), validFor.TotalSeconds);
            }
            else
            {
                LogIssueFailed(logger, SafeError.Describe(ex));
            }

            throw;
        }
    }

    private async Task<CachedToken> IssueAsync(CancellationToken cancellationToken)
    {
        // The lifetime runs from LINE's issue, so count it from before the request rather than after the answer.
        var requestedAt = time.GetUtcNow();
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
            var renewAt = requestedAt + (lifetime > RenewBefore * 2 ? lifetime - RenewBefore : lifetime / 2);
            return new CachedToken(body.AccessToken, renewAt, requestedAt + lifetime);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel access token renewal failed ({Detail}); still serving the held token for {ValidSeconds:F0} s.")]
    private static partial void LogRenewalFailed(ILogger logger, string detail, double validSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No channel access token could be issued ({Detail}); none is held.")]
    private static partial void LogIssueFailed(ILogger logger, string detail);
}
