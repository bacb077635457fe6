using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using LinkFunctions.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Hosting;

public static class SecretsExtensions
{
    /// <summary><c>KeyVault__VaultUri</c> set: the real <see cref="SecretClient"/> with managed identity; otherwise configuration.</summary>
    public static IHostApplicationBuilder AddChannelSecrets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => new SecretClient(
            sp.GetRequiredService<IOptions<KeyVaultOptions>>().Value.VaultUri ?? throw new InvalidOperationException("KeyVault__VaultUri is not set."),
            new DefaultAzureCredential(StorageExtensions.CredentialOptions()),
            new SecretClientOptions
            {
                // Inside the webhook's budget a slow vault must fail fast rather than retry for seconds.
                Retry = { MaxRetries = 2, Delay = TimeSpan.FromMilliseconds(100), Mode = RetryMode.Exponential, NetworkTimeout = TimeSpan.FromSeconds(2) },
            }));
        builder.Services.AddSingleton<IChannelSecretSource>(sp =>
            sp.GetRequiredService<IOptions<KeyVaultOptions>>().Value.VaultUri is null
                ? ActivatorUtilities.CreateInstance<ConfigurationChannelSecretSource>(sp)
                : ActivatorUtilities.CreateInstance<KeyVaultChannelSecretSource>(sp));
        builder.Services.AddSingleton<ChannelSecretCache>();
        return builder;
    }
}
