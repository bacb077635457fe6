using System.Security.Cryptography;
using System.Text;
using Azure;
using LinkFunctions.Hosting;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Secrets;

/// <summary>
/// A channel secret held in memory and refreshed in the background. A failed refresh keeps the last good secret:
/// it is still LINE's current one unless someone reissued it, and a reissue is caught by the refetch after a
/// signature mismatch, which is single-flight and at most once a minute so that an anonymous flood of bad
/// signatures never becomes a flood of Key Vault calls.
/// </summary>
public sealed partial class ChannelSecretCache
{
    /// <summary>After this a request still gets the held secret, and starts a background refresh.</summary>
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan MinRefetchInterval = TimeSpan.FromSeconds(60);

    /// <summary>After a failed fetch, neither a stale read nor a cold request tries the vault again this soon.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(10);

    /// <summary>Bounds one fetch: the SDK's own retries (3 attempts of at most 2 s) fit within it.</summary>
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(10);

    private readonly IChannelSecretSource source;
    private readonly TimeProvider time;
    private readonly ILogger<ChannelSecretCache> logger;
    private readonly LinkMetrics? metrics;
    private readonly SharedFetch<Entry> fetch;
    private readonly Lock sync = new();
    private volatile Entry? current;
    private DateTimeOffset lastRefetch = DateTimeOffset.MinValue;
    private DateTimeOffset lastFailure = DateTimeOffset.MinValue;

    public ChannelSecretCache(IChannelSecretSource source, TimeProvider time, ILogger<ChannelSecretCache> logger, LinkMetrics? metrics = null)
    {
        this.source = source;
        this.time = time;
        this.logger = logger;
        this.metrics = metrics;
        fetch = new SharedFetch<Entry>(FetchAsync, FetchTimeout, time);
    }

    private sealed record Entry(byte[] Secret, DateTimeOffset FetchedAt);

    /// <summary>True once any secret has been fetched; it is then served for as long as refreshes fail.</summary>
    public bool HasSecret => current is not null;

    /// <summary>
    /// The held secret, however old (refreshing it in the background when due). Only with none held does the caller
    /// wait for the shared fetch, and only the wait ends with <paramref name="cancellationToken"/>.
    /// </summary>
    /// <exception cref="ChannelSecretUnavailableException">No secret is held and the last fetch failed moments ago.</exception>
    public async ValueTask<byte[]> GetAsync(CancellationToken cancellationToken)
    {
        var entry = current;
        if (entry is not null)
        {
            if (time.GetUtcNow() - entry.FetchedAt >= RefreshAfter && !FailedRecently())
            {
                _ = fetch.StartOrJoin();
            }

            return entry.Secret;
        }

        if (FailedRecently() && !fetch.IsRunning)
        {
            throw new ChannelSecretUnavailableException(source.Name);
        }

        return (await fetch.StartOrJoin().WaitAsync(cancellationToken)).Secret;
    }

    /// <summary>Fetches now, or joins the fetch under way, and waits for it with the caller's token.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken) => await fetch.StartOrJoin().WaitAsync(cancellationToken);

    /// <summary>
    /// A fresh secret after a mismatch, or null when a refetch is not allowed now (another fetch is under way or a
    /// refetch ran within the last minute) or cannot change anything. Throws when the refetch fails: the signature
    /// may be valid under a secret we cannot read now, so the caller must not call it wrong.
    /// </summary>
    public async ValueTask<byte[]?> TryRefetchAsync(CancellationToken cancellationToken)
    {
        if (!source.CanRefetch)
        {
            return null;
        }

        Task<Entry>? refetch;
        lock (sync)
        {
            if (time.GetUtcNow() - lastRefetch < MinRefetchInterval || (refetch = fetch.TryStart()) is null)
            {
                return null;
            }

            lastRefetch = time.GetUtcNow();
        }

        LogRefetch(logger, source.Name);
        metrics?.SecretRefetched();
        return (await refetch.WaitAsync(cancellationToken)).Secret;
    }

    private bool FailedRecently()
    {
        lock (sync)
        {
            return time.GetUtcNow() - lastFailure < RetryAfterFailure;
        }
    }

    private async Task<Entry> FetchAsync(CancellationToken cancellationToken)
    {
        var held = current;
        try
        {
            var secret = Encoding.UTF8.GetBytes(await source.FetchAsync(cancellationToken));

            // The same array when nothing changed: the webhook keeps a keyed HMAC per thread until the array changes.
            var entry = new Entry(held is not null && CryptographicOperations.FixedTimeEquals(held.Secret, secret) ? held.Secret : secret, time.GetUtcNow());
            current = entry;
            return entry;
        }
        catch (Exception ex)
        {
            lock (sync)
            {
                lastFailure = time.GetUtcNow();
            }

            if (held is null)
            {
                LogFetchFailed(logger, source.Name, Describe(ex));
            }
            else
            {
                LogRefreshFailed(logger, source.Name, Describe(ex), (time.GetUtcNow() - held.FetchedAt).TotalMinutes);
            }

            throw;
        }
    }

    /// <summary>Key Vault's status says what went wrong (403 denied, 404 missing, 429, 5xx); SDK messages are not logged.</summary>
    private static string Describe(Exception exception) =>
        exception is RequestFailedException { Status: > 0 } failed ? $"{failed.GetType().Name} {failed.Status}" : SafeError.Describe(exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refetching the channel secret {SecretName} after a well-formed signature mismatch.")]
    private static partial void LogRefetch(ILogger logger, string secretName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The channel secret {SecretName} could not be fetched ({Detail}); none is held, so webhooks answer 503 until a fetch succeeds.")]
    private static partial void LogFetchFailed(ILogger logger, string secretName, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The channel secret {SecretName} could not be refreshed ({Detail}); still serving the one fetched {AgeMinutes:F0} min ago.")]
    private static partial void LogRefreshFailed(ILogger logger, string secretName, string detail, double ageMinutes);
}
