using Azure.Security.KeyVault.Secrets;

namespace LinkFunctions.Secrets;

/// <summary>
/// Reads one secret through <see cref="SecretClient"/>, never a Key Vault reference: references are cached for
/// about a day, and LINE invalidates the old secret the moment a new one is issued.
/// </summary>
public sealed class KeyVaultChannelSecretSource(SecretClient client, string secretName) : IChannelSecretSource
{
    public string Name => secretName;

    public bool CanRefetch => true;

    public async Task<string> FetchAsync(CancellationToken cancellationToken)
    {
        var response = await client.GetSecretAsync(secretName, cancellationToken: cancellationToken);
        return response.Value.Value;
    }
}
