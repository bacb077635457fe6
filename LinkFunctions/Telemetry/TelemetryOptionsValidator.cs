using System.Text.RegularExpressions;
using LinkFunctions.Hosting;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Telemetry;

internal sealed partial class TelemetryOptionsValidator(PlatformInfo platform) : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var errors = new SettingErrors();
        errors.LocalOnly(platform, "Telemetry__IdHashKey", options.IdHashKey is not null);
        if (options.IdHashKey is { } key && key.Length < TelemetryOptions.MinimumKeyLength)
        {
            errors.Add("Telemetry__IdHashKey", $"must be at least {TelemetryOptions.MinimumKeyLength} characters (e.g. `openssl rand -base64 48`).");
        }

        if (!SecretName().IsMatch(options.IdHashKeySecretName ?? ""))
        {
            errors.Add("Telemetry__IdHashKeySecretName", "must be a Key Vault secret name: 1-127 characters of [0-9A-Za-z-].");
        }

        return errors.ToResult();
    }

    [GeneratedRegex("^[0-9A-Za-z-]{1,127}$")]
    private static partial Regex SecretName();
}
