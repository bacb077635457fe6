using System.Collections.Concurrent;
using Azure.Security.KeyVault.Secrets;
using LinkFunctions.Hosting;
using LinkFunctions.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Login;

/// <summary>
/// LINE Login's secrets come from where the Messaging API secret comes from: Key Vault through the registered
/// <see cref="SecretClient"/> when <c>KeyVault__VaultUri</c> is set, otherwise a local-only setting. Cached briefly
/// so that a login costs no vault round trip, and short enough that a rotated secret is picked up soon.
/// </summary>
public sealed class LineLoginSecretReader(IServiceProvider services, IOptions<KeyVaultOptions> keyVault, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, (string Value, DateTimeOffset FetchedAt)> cache = new(StringComparer.Ordinal);

    public async ValueTask<string> ReadAsync(string secretName, string? localValue, string localSetting, CancellationToken cancellationToken)
    {
        if (keyVault.Value.VaultUri is null)
        {
            return localValue is { Length: > 0 } ? localValue : throw new InvalidOperationException($"{localSetting} is not set.");
        }

        if (cache.TryGetValue(secretName, out var entry) && time.GetUtcNow() - entry.FetchedAt < CacheFor)
        {
            return entry.Value;
        }

        var response = await services.GetRequiredService<SecretClient>().GetSecretAsync(secretName, cancellationToken: cancellationToken);
        cache[secretName] = (response.Value.Value, time.GetUtcNow());
        return response.Value.Value;
    }
}

public sealed class LineLoginChannelSecret(LineLoginSecretReader reader, IOptions<LineLoginOptions> options) : ILineLoginChannelSecret
{
    public ValueTask<string> GetAsync(CancellationToken cancellationToken) =>
        reader.ReadAsync(options.Value.ChannelSecretName, options.Value.ChannelSecret, "LineLogin__ChannelSecret", cancellationToken);
}
