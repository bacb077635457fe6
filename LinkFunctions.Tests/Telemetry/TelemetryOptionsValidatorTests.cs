using LinkFunctions.Telemetry;
using static LinkFunctions.Tests.Hosting.OptionsTestPlatforms;

namespace LinkFunctions.Tests.Telemetry;

public sealed class TelemetryOptionsValidatorTests
{
    private const string GoodKey = "a-local-key-of-at-least-32-characters!!";

    [Fact]
    public void Validate_Defaults_Succeeds() =>
        Assert.Empty(Errors(new TelemetryOptionsValidator(AzureBySiteName).Validate(null, new TelemetryOptions())));

    [Fact]
    public void Validate_LocalKey_Succeeds() =>
        Assert.Empty(Errors(new TelemetryOptionsValidator(Local).Validate(null, new TelemetryOptions { IdHashKey = GoodKey })));

    [Fact]
    public void Validate_ShortKey_NamesTelemetryIdHashKey()
    {
        var error = Assert.Single(Errors(new TelemetryOptionsValidator(Local).Validate(null, new TelemetryOptions { IdHashKey = "short" })));

        Assert.StartsWith("Telemetry__IdHashKey:", error);
    }

    [Fact]
    public void Validate_KeyInAzure_RefusedNamingTelemetryIdHashKey()
    {
        var error = Assert.Single(Errors(new TelemetryOptionsValidator(AzureBySiteName).Validate(null, new TelemetryOptions { IdHashKey = GoodKey })));

        Assert.StartsWith("Telemetry__IdHashKey:", error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("log_id_hash_key")]
    public void Validate_BadSecretName_NamesTelemetryIdHashKeySecretName(string name)
    {
        var error = Assert.Single(Errors(new TelemetryOptionsValidator(Local).Validate(null, new TelemetryOptions { IdHashKeySecretName = name })));

        Assert.StartsWith("Telemetry__IdHashKeySecretName:", error);
    }
}
