using LinkFunctions.Hosting;
using LinkFunctions.Secrets;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Notifications;

internal sealed class NotificationOptionsValidator(PlatformInfo platform, IOptions<KeyVaultOptions> keyVault) : IValidateOptions<NotificationOptions>
{
    public const int MaxAttemptsLimit = 50;

    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var errors = new SettingErrors();

        // A notification names both users: it must not cross the network in clear (loopback never leaves the machine).
        errors.AbsoluteHttpUrl("Linking__NotifyUrl", options.NotifyUrl, required: false);
        errors.LocalOnly(platform, "Linking__NotifySecret", !string.IsNullOrEmpty(options.NotifySecret));
        if (options.IsConfigured && keyVault.Value.VaultUri is null && string.IsNullOrEmpty(options.NotifySecret))
        {
            errors.Add("Linking__NotifySecret", "is required with Linking__NotifyUrl when KeyVault__VaultUri is not set.");
        }

        if (options.IsConfigured && keyVault.Value.VaultUri is not null && string.IsNullOrWhiteSpace(options.NotifySecretName))
        {
            errors.Add("Linking__NotifySecretName", "must name the Key Vault secret that signs link-change notifications.");
        }

        if (options.NotifyMaxAttempts is < 1 or > MaxAttemptsLimit)
        {
            errors.Add("Linking__NotifyMaxAttempts", $"must be between 1 and {MaxAttemptsLimit}.");
        }

        return errors.ToResult();
    }
}
