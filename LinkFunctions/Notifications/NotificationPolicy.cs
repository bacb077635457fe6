namespace LinkFunctions.Notifications;

/// <summary>The timings of notification delivery, in one place.</summary>
public static class NotificationPolicy
{
    /// <summary>One POST, answer included; the receiver should answer fast and do its work afterwards.</summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long a drainer's claim on an entry holds: well past one send, so two drainers never overlap on it.</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromSeconds(60);

    /// <summary>
    /// An entry recorded ahead of its change that still shows no commit after this is dropped: the change failed and
    /// was not retried (a retry would have committed it, or re-created the entry).
    /// </summary>
    public static readonly TimeSpan CommitGrace = TimeSpan.FromMinutes(2);

    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(6);

    /// <summary>Delivered entries stay this long so that a late retry of the change finds its entry (409) and is not sent twice.</summary>
    public static readonly TimeSpan KeepDelivered = TimeSpan.FromDays(3);

    /// <summary>Dead-lettered entries stay this long for an operator to look at (and count in the metric meanwhile).</summary>
    public static readonly TimeSpan KeepDeadLettered = TimeSpan.FromDays(14);

    /// <summary>The immediate attempt after a change runs in the background under this budget; the timer does the rest.</summary>
    public static readonly TimeSpan ImmediateBudget = TimeSpan.FromSeconds(30);

    /// <summary>Exponential: 1, 2, 4 … minutes after the failed attempt, at most <see cref="MaxRetryDelay"/>.</summary>
    public static TimeSpan RetryDelay(int attempts)
    {
        var doublings = Math.Clamp(attempts - 1, 0, 20);
        var delay = FirstRetryDelay * Math.Pow(2, doublings);
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }
}
