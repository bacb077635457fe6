namespace LinkFunctions.Telemetry;

/// <summary>
/// Telemetry privacy (configuration section <c>Telemetry</c>): where the key of <see cref="Linking.LogIds"/> comes from.
/// With <c>KeyVault__VaultUri</c> set it is the Key Vault secret <see cref="IdHashKeySecretName"/>; locally it may be
/// <see cref="IdHashKey"/>; with neither, each process makes a random key and logs a warning.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    public const string DefaultIdHashKeySecretName = "log-id-hash-key";

    /// <summary>Shorter keys are guessable; 32 characters of a base64 random string carry about 190 bits.</summary>
    public const int MinimumKeyLength = 32;

    /// <summary>Local only: the key itself. In Azure the key lives in Key Vault.</summary>
    public string? IdHashKey { get; set; }

    public string IdHashKeySecretName { get; set; } = DefaultIdHashKeySecretName;
}
