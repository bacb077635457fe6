using LinkFunctions.Hosting;
using LinkFunctions.Secrets;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Login;

internal sealed class LineLoginOptionsValidator(PlatformInfo platform, IOptions<KeyVaultOptions> keyVault) : IValidateOptions<LineLoginOptions>
{
    public ValidateOptionsResult Validate(string? name, LineLoginOptions options)
    {
        var errors = new SettingErrors();
        errors.LocalOnly(platform, "LineLogin__ChannelSecret", !string.IsNullOrEmpty(options.ChannelSecret));
        errors.LocalOnly(platform, "LineLogin__TokenKey", !string.IsNullOrEmpty(options.TokenKey));
        if (!options.Enabled)
        {
            return errors.ToResult();
        }

        if (!options.ChannelId!.All(char.IsAsciiDigit))
        {
            errors.Add("LineLogin__ChannelId", "must be the LINE Login channel ID (digits only).");
        }

        var vault = keyVault.Value.VaultUri is not null;
        if (!vault && string.IsNullOrEmpty(options.ChannelSecret))
        {
            errors.Add("LineLogin__ChannelSecret", "is required when KeyVault__VaultUri is not set.");
        }

        if (vault && string.IsNullOrWhiteSpace(options.ChannelSecretName))
        {
            errors.Add("LineLogin__ChannelSecretName", "must name the Key Vault secret that holds the LINE Login channel secret.");
        }

        if (!vault && !LoginTokenProtector.IsValidKey(options.TokenKey))
        {
            errors.Add("LineLogin__TokenKey", "is required when KeyVault__VaultUri is not set: 32 random bytes in base64.");
        }

        if (vault && string.IsNullOrWhiteSpace(options.TokenKeySecretName))
        {
            errors.Add("LineLogin__TokenKeySecretName", "must name the Key Vault secret that holds the token-wrapping key.");
        }

        errors.AbsoluteHttpUrl("LineLogin__CallbackUrl", options.CallbackUrl, required: false);
        if (!LineLoginOptions.BotPrompts.Contains(options.BotPrompt, StringComparer.Ordinal))
        {
            errors.Add("LineLogin__BotPrompt", "must be normal, aggressive or none.");
        }

        return errors.ToResult();
    }
}
