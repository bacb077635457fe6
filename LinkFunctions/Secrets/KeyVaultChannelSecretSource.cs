using Azure.Security.KeyVault.Secrets;
using LinkFunctions.Hosting;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Secrets;

/// <summary>
/// Reads the secret through <see cref="SecretClient"/>, never a Key Vault reference: references are cached for
/// about a day, and LINE invalidates the old secret the moment a new one is issued.
/// </summary>
public sealed class KeyVaultChannelSecretSource(SecretClient client, IOptions<LineOptions> options) : IChannelSecretSource
{
    public bool CanRefetch => true;

    public async Task<string> FetchAsync(CancellationToken cancellationToken)
    {
        var response = await client.GetSecretAsync(options.Value.ChannelSecretName, cancellationToken: cancellationToken);
        return response.Value.Value;
    }
}
