using LinkFunctions.Hosting;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Secrets;

internal sealed class KeyVaultOptionsValidator : IValidateOptions<KeyVaultOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyVaultOptions options)
    {
        var errors = new SettingErrors();
        errors.AbsoluteHttpUrl("KeyVault__VaultUri", options.VaultUri, required: false);
        return errors.ToResult();
    }
}
