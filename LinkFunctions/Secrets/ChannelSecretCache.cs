using System.Text;
using LinkFunctions.Hosting;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Secrets;

/// <summary>
/// The channel secret with a short cache, and a refetch that is single-flight and at most once a minute,
/// so that an anonymous flood of bad signatures never becomes a flood of Key Vault calls.
/// </summary>
public sealed partial class ChannelSecretCache(IChannelSecretSource source, TimeProvider time, ILogger<ChannelSecretCache> logger, LinkMetrics? metrics = null)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MinRefetchInterval = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile Entry? current;
    private DateTimeOffset lastRefetch = DateTimeOffset.MinValue;

    private sealed record Entry(byte[] Secret, DateTimeOffset FetchedAt);

    public async ValueTask<byte[]> GetAsync(CancellationToken cancellationToken)
    {
        var entry = current;
        if (entry is not null && time.GetUtcNow() - entry.FetchedAt < CacheFor)
        {
            return entry.Secret;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            entry = current;
            if (entry is null || time.GetUtcNow() - entry.FetchedAt >= CacheFor)
            {
                entry = await FetchAsync(cancellationToken);
            }

            return entry.Secret;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// A fresh secret after a mismatch, or null when a refetch is not allowed now (another is under way or one
    /// ran within the last minute) or cannot change anything.
    /// </summary>
    public async ValueTask<byte[]?> TryRefetchAsync(CancellationToken cancellationToken)
    {
        if (!source.CanRefetch || time.GetUtcNow() - lastRefetch < MinRefetchInterval || !gate.Wait(0, CancellationToken.None))
        {
            return null;
        }

        try
        {
            if (time.GetUtcNow() - lastRefetch < MinRefetchInterval)
            {
                return null;
            }

            lastRefetch = time.GetUtcNow();
            LogRefetch(logger);
            metrics?.SecretRefetched();
            return (await FetchAsync(cancellationToken)).Secret;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<Entry> FetchAsync(CancellationToken cancellationToken)
    {
        var secret = await source.FetchAsync(cancellationToken);
        var entry = new Entry(Encoding.UTF8.GetBytes(secret), time.GetUtcNow());
        current = entry;
        return entry;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refetching the channel secret after a well-formed signature mismatch.")]
    private static partial void LogRefetch(ILogger logger);
}
