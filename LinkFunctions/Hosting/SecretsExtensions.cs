using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using LinkFunctions.LineApi;
using LinkFunctions.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Hosting;

public static class SecretsExtensions
{
    /// <summary>
    /// The Messaging API channel secret: from Key Vault through the shared credential when <c>KeyVault__VaultUri</c> is
    /// set, otherwise from <c>Line__ChannelSecret</c>. Another channel's secret gets its own cache from the factory.
    /// </summary>
    public static IHostApplicationBuilder AddChannelSecrets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAzureCredential();
        builder.Services.AddSingleton(sp => new SecretClient(
            sp.GetRequiredService<IOptions<KeyVaultOptions>>().Value.VaultUri ?? throw new InvalidOperationException("KeyVault__VaultUri is not set."),
            sp.GetRequiredService<TokenCredential>(),
            new SecretClientOptions
            {
                // Fetches run in the background under their own timeout; a slow vault should still fail in seconds.
                Retry = { MaxRetries = 2, Delay = TimeSpan.FromMilliseconds(100), Mode = RetryMode.Exponential, NetworkTimeout = TimeSpan.FromSeconds(2) },
            }));
        builder.Services.AddSingleton<ChannelSecretCacheFactory>();
        builder.Services.AddSingleton(sp =>
        {
            var line = sp.GetRequiredService<IOptions<LineOptions>>().Value;
            return sp.GetRequiredService<ChannelSecretCacheFactory>().Create(line.ChannelSecretName, line.ChannelSecret, "Line__ChannelSecret");
        });
        return builder;
    }
}
