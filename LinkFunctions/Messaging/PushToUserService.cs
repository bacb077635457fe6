using System.Net;
using System.Text.Json;
using LinkFunctions.LineApi;
using LinkFunctions.Linking;
using LinkFunctions.Login;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Messaging;

/// <summary>What a push to a service user came to; LINE failures other than 429 are thrown.</summary>
public abstract record PushOutcome
{
    public sealed record Sent(IReadOnlyList<SentMessage> SentMessages) : PushOutcome;

    public sealed record NotLinked : PushOutcome;

    /// <summary>LINE answered 429: the channel's rate limit or its monthly message quota.</summary>
    public sealed record RateLimited(string? LineRequestId) : PushOutcome;
}

/// <summary>
/// The service notifies its user on LINE without knowing the LINE user ID: the link (both halves) names the
/// recipient, and the caller's retry key makes the caller's own retries as idempotent as ours.
/// </summary>
public sealed partial class PushToUserService(
    LinkReader links, LineMessagingClient line, LineLoginProviderCheck providerCheck, ILogger<PushToUserService> logger)
{
    /// <param name="messages">LINE message objects, already checked by <see cref="PushMessages.Problem"/>.</param>
    public async Task<PushOutcome> PushAsync(string serviceUserId, JsonElement messages, Guid retryKey, CancellationToken cancellationToken)
    {
        var link = await links.FindByServiceUserAsync(serviceUserId, cancellationToken);
        if (link is null)
        {
            LogNotLinked(logger, LogIds.Hash(serviceUserId));
            return new PushOutcome.NotLinked();
        }

        try
        {
            var sent = await line.PushAsync(link.LineUserId, messages, retryKey, cancellationToken);
            LogPushed(logger, messages.GetArrayLength(), LogIds.Hash(serviceUserId));
            return new PushOutcome.Sent(sent);
        }
        catch (LineApiException failure) when (failure.Status == HttpStatusCode.TooManyRequests)
        {
            LogRateLimited(logger, LogIds.Hash(serviceUserId), failure.RequestId ?? "none");
            return new PushOutcome.RateLimited(failure.RequestId);
        }
        catch (LineApiException failure)
        {
            // A 400/404 for a user linked by LINE Login usually means the two channels sit under different providers.
            await providerCheck.ObserveAsync(link.LineUserId, failure, cancellationToken);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Push refused: service user {ServiceUserHash} is not linked.")]
    private static partial void LogNotLinked(ILogger logger, string serviceUserHash);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pushed {Count} message(s) to service user {ServiceUserHash}.")]
    private static partial void LogPushed(ILogger logger, int count, string serviceUserHash);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LINE answered 429 to a push for service user {ServiceUserHash} (x-line-request-id {LineRequestId}): rate limit or monthly quota.")]
    private static partial void LogRateLimited(ILogger logger, string serviceUserHash, string lineRequestId);
}
