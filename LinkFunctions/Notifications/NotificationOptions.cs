namespace LinkFunctions.Notifications;

/// <summary>
/// Link-change notifications to the service (configuration section <c>Linking</c>, next to the linking settings they
/// report on). With <see cref="NotifyUrl"/> unset nothing is recorded and nothing is sent.
/// </summary>
public sealed class NotificationOptions
{
    public const string Section = "Linking";

    /// <summary>The service's endpoint: https, or http on a loopback host for local development and the simulator.</summary>
    public Uri? NotifyUrl { get; set; }

    /// <summary>Local only: in Azure the signing secret comes from Key Vault, see <see cref="NotifySecretName"/>.</summary>
    public string? NotifySecret { get; set; }

    public string NotifySecretName { get; set; } = "link-notify-secret";

    /// <summary>Tries before an entry is dead-lettered (a receiver answering 408, 429, 5xx or not at all).</summary>
    public int NotifyMaxAttempts { get; set; } = 10;

    public bool IsConfigured => NotifyUrl is not null;
}
