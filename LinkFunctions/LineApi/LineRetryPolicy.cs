using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace LinkFunctions.LineApi;

/// <summary>
/// LINE's guidance: retry 5xx and timeouts, never another 4xx. A monthly-quota 429 never succeeds, so 429 is
/// retried once at most. Library defaults (30 s in total) would break the webhook's 2 s, so attempts are short.
/// </summary>
public static class LineRetryPolicy
{
    public const int MaxRetryAttempts = 2;
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(10);

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder)
    {
        builder.AddTimeout(TotalTimeout);
        builder.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = MaxRetryAttempts,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
            ShouldRetryAfterHeader = false,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.AttemptNumber, args.Context.GetRequestMessage())),
        });
        builder.AddTimeout(AttemptTimeout);
    }

    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, int attemptNumber, HttpRequestMessage? request)
    {
        if (request is not null && request.Options.TryGetValue(LineRequest.NoRetry, out var noRetry) && noRetry)
        {
            return false;
        }

        if (outcome.Exception is HttpRequestException or TimeoutRejectedException)
        {
            return true;
        }

        return outcome.Result?.StatusCode switch
        {
            null => false,
            HttpStatusCode.TooManyRequests => attemptNumber == 0,
            HttpStatusCode.RequestTimeout => true,
            var status => (int)status >= 500,
        };
    }
}
