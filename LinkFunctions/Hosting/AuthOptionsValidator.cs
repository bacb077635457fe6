using Microsoft.Extensions.Options;

namespace LinkFunctions.Hosting;

internal sealed class AuthOptionsValidator(PlatformInfo platform) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var errors = new SettingErrors();
        if (!Enum.IsDefined(options.Mode))
        {
            errors.Add("Auth__Mode", "must be Delegated or AppService.");
        }

        errors.LocalOnly(platform, "Auth__AllowUnverifiedPrincipalHeaders", options.AllowUnverifiedPrincipalHeaders);
        if (options.Mode == AuthMode.AppService)
        {
            if (string.IsNullOrWhiteSpace(options.LoginProvider))
            {
                // A principal ID is unique only within its identity provider.
                errors.Add("Auth__LoginProvider", "is required when Auth__Mode is AppService (for example aad or google).");
            }

            if (!platform.EasyAuthEnabled && !options.AllowUnverifiedPrincipalHeaders)
            {
                errors.Add("Auth__Mode", "AppService needs App Service Authentication (WEBSITE_AUTH_ENABLED=True); locally set Auth__AllowUnverifiedPrincipalHeaders=true.");
            }
        }

        return errors.ToResult();
    }
}
