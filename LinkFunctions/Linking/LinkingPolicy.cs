namespace LinkFunctions.Linking;

/// <summary>The lifetimes the link protocol depends on, in one place.</summary>
public static class LinkingPolicy
{
    /// <summary>LINE: link tokens are valid for 10 minutes (which may change without notice).</summary>
    public static readonly TimeSpan LinkTokenLifetime = TimeSpan.FromMinutes(10);

    /// <summary>A nonce is only useful while its link token lives; the LINE dialog must finish by then.</summary>
    public static readonly TimeSpan NonceLifetime = TimeSpan.FromMinutes(10);

    /// <summary>
    /// LINE does not disclose its redelivery delay: consumed and failed nonces and event markers are kept this long,
    /// so that a late legitimate redelivery still lands and a duplicate is still recognised.
    /// </summary>
    public static readonly TimeSpan DedupeWindow = TimeSpan.FromDays(2);

    /// <summary>A lone link half younger than this may belong to a write still under way; older ones are stale.</summary>
    public static readonly TimeSpan WriteGrace = TimeSpan.FromSeconds(30);

    public const int MaxWriteAttempts = 5;

    /// <summary>Cosmos item ttl in seconds: cleanup only, a margin after the app's own expiry check.</summary>
    public static int CleanupTtl(TimeSpan keepFor) => (int)(keepFor + TimeSpan.FromHours(1)).TotalSeconds;
}
