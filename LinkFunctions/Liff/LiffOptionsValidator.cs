using LinkFunctions.Hosting;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Liff;

internal sealed class LiffOptionsValidator(IOptions<AuthOptions> auth) : IValidateOptions<LiffOptions>
{
    public ValidateOptionsResult Validate(string? name, LiffOptions options)
    {
        var errors = new SettingErrors();
        if (options.IsConfigured && !options.ChannelId!.All(char.IsAsciiDigit))
        {
            errors.Add("Liff__ChannelId", "must be the ID of the LINE Login channel that hosts the LIFF app (digits only), not the LIFF ID.");
        }

        var origins = options.AllowedOriginList;
        if (origins.Count > 0 && !options.IsConfigured)
        {
            errors.Add("Liff__AllowedOrigins", "needs Liff__ChannelId: LIFF linking is off without it.");
        }

        if (origins.Count > 0 && auth.Value.Mode != AuthMode.AppService)
        {
            // In Delegated mode no browser calls us: the service backend forwards the ID token with its function key.
            errors.Add("Liff__AllowedOrigins", "applies only when Auth__Mode is AppService.");
        }

        foreach (var origin in origins.Where(o => !LiffOrigins.IsExactHttpsOrigin(o)))
        {
            errors.Add("Liff__AllowedOrigins", $"entry {Quote(origin)} must be an exact https origin such as https://liff.example.com (no wildcard, path, query or user info).");
        }

        return errors.ToResult();
    }

    // Origins are not secrets; a bounded echo helps fix the setting.
    private static string Quote(string value) => "\"" + (value.Length > 80 ? value[..80] + "…" : value) + "\"";
}
