using System.Collections.Concurrent;
using System.Text;
using LinkFunctions.Secrets;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Login;

/// <summary>
/// LINE Login's secrets come from where the Messaging API secret comes from, through the same cache: Key Vault when
/// <c>KeyVault__VaultUri</c> is set, otherwise a local-only setting. The last good value is served while a refresh
/// fails, so a short vault outage does not stop logins.
/// </summary>
public sealed class LineLoginSecretReader(ChannelSecretCacheFactory caches)
{
    private readonly ConcurrentDictionary<string, ChannelSecretCache> bySecretName = new(StringComparer.Ordinal);

    public async ValueTask<string> ReadAsync(string secretName, string? localValue, string localSetting, CancellationToken cancellationToken)
    {
        var cache = bySecretName.GetOrAdd(secretName, name => caches.Create(name, localValue, localSetting));
        return Encoding.UTF8.GetString(await cache.GetAsync(cancellationToken));
    }
}

public sealed class LineLoginChannelSecret(LineLoginSecretReader reader, IOptions<LineLoginOptions> options) : ILineLoginChannelSecret
{
    public ValueTask<string> GetAsync(CancellationToken cancellationToken) =>
        reader.ReadAsync(options.Value.ChannelSecretName, options.Value.ChannelSecret, "LineLogin__ChannelSecret", cancellationToken);
}
