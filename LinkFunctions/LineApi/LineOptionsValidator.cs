using LinkFunctions.Hosting;
using LinkFunctions.Secrets;
using Microsoft.Extensions.Options;

namespace LinkFunctions.LineApi;

internal sealed class LineOptionsValidator(PlatformInfo platform, IOptions<KeyVaultOptions> keyVault) : IValidateOptions<LineOptions>
{
    public ValidateOptionsResult Validate(string? name, LineOptions options)
    {
        var errors = new SettingErrors();
        if (string.IsNullOrWhiteSpace(options.ChannelId) || !options.ChannelId.All(char.IsAsciiDigit))
        {
            errors.Add("Line__ChannelId", "is required: the Messaging API channel ID (digits only).");
        }

        errors.LocalOnly(platform, "Line__ChannelSecret", !string.IsNullOrEmpty(options.ChannelSecret));
        if (keyVault.Value.VaultUri is null && string.IsNullOrEmpty(options.ChannelSecret))
        {
            errors.Add("Line__ChannelSecret", "is required when KeyVault__VaultUri is not set.");
        }

        if (keyVault.Value.VaultUri is not null && string.IsNullOrWhiteSpace(options.ChannelSecretName))
        {
            errors.Add("Line__ChannelSecretName", "must name the Key Vault secret that holds the channel secret.");
        }

        errors.AbsoluteHttpUrl("Line__ApiBaseUrl", options.ApiBaseUrl, required: true);
        errors.AbsoluteHttpUrl("Line__AccessBaseUrl", options.AccessBaseUrl, required: true);
        return errors.ToResult();
    }
}
