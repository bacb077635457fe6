namespace LinkFunctions.Secrets;

/// <summary>Key Vault (configuration section <c>KeyVault</c>). When unset, secrets come from configuration.</summary>
public sealed class KeyVaultOptions
{
    public const string Section = "KeyVault";

    public Uri? VaultUri { get; set; }
}
