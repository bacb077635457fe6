using LinkFunctions.Secrets;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Notifications;

/// <summary>
/// The key that signs notifications: Key Vault secret <c>Linking__NotifySecretName</c> when <c>KeyVault__VaultUri</c> is
/// set, otherwise the local-only <c>Linking__NotifySecret</c>. Held and refreshed like the channel secrets.
/// </summary>
public sealed class NotifySecret(ChannelSecretCacheFactory secrets, IOptions<NotificationOptions> options)
{
    private readonly ChannelSecretCache cache = secrets.Create(options.Value.NotifySecretName, options.Value.NotifySecret, "Linking__NotifySecret");

    public ValueTask<byte[]> GetAsync(CancellationToken cancellationToken) => cache.GetAsync(cancellationToken);
}
