using Azure.Security.KeyVault.Secrets;
using LinkFunctions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Secrets;

/// <summary>
/// One <see cref="ChannelSecretCache"/> per channel secret. Each LINE channel has its own secret (the Messaging API
/// channel, and later the LINE Login channel), and each gets its own cache, refresh and refetch limit.
/// </summary>
public sealed class ChannelSecretCacheFactory(
    IOptions<KeyVaultOptions> keyVault, IServiceProvider services, TimeProvider time, ILoggerFactory loggers, LinkMetrics? metrics = null)
{
    /// <param name="secretName">The Key Vault secret, read when <c>KeyVault__VaultUri</c> is set.</param>
    /// <param name="localValue">The local setting's value, used when no vault is configured.</param>
    /// <param name="localSetting">That setting's name as an app setting (<c>Line__ChannelSecret</c>), for errors.</param>
    public ChannelSecretCache Create(string secretName, string? localValue, string localSetting)
    {
        IChannelSecretSource source = keyVault.Value.VaultUri is null
            ? new ConfigurationChannelSecretSource(localValue, localSetting)
            : new KeyVaultChannelSecretSource(services.GetRequiredService<SecretClient>(), secretName);
        return new ChannelSecretCache(source, time, loggers.CreateLogger<ChannelSecretCache>(), metrics);
    }
}
