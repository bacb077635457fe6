using LinkFunctions.Hosting;
using static LinkFunctions.Tests.Hosting.OptionsTestPlatforms;

namespace LinkFunctions.Tests.Hosting;

public class AuthOptionsValidatorTests
{
    private static IReadOnlyList<string> Validate(AuthOptions options, PlatformInfo platform) =>
        Errors(new AuthOptionsValidator(platform).Validate(null, options));

    [Fact]
    public void Validate_DelegatedDefault_Succeeds()
    {
        Assert.Empty(Validate(new AuthOptions(), Local));
        Assert.Empty(Validate(new AuthOptions(), AzureBySiteName));
    }

    [Fact]
    public void Validate_AppServiceWithoutLoginProvider_NamesAuthLoginProvider()
    {
        var errors = Validate(new AuthOptions { Mode = AuthMode.AppService }, AzureWithEasyAuth);

        var error = Assert.Single(errors);
        Assert.StartsWith("Auth__LoginProvider:", error);
    }

    [Fact]
    public void Validate_AppServiceWithoutEasyAuth_IsRefused()
    {
        var errors = Validate(new AuthOptions { Mode = AuthMode.AppService, LoginProvider = "aad" }, AzureBySiteName);

        var error = Assert.Single(errors);
        Assert.StartsWith("Auth__Mode:", error);
        Assert.Contains("WEBSITE_AUTH_ENABLED", error);
    }

    [Fact]
    public void Validate_AppServiceLocallyWithoutTheUnverifiedFlag_IsRefused()
    {
        var errors = Validate(new AuthOptions { Mode = AuthMode.AppService, LoginProvider = "aad" }, Local);

        Assert.Contains(errors, e => e.StartsWith("Auth__Mode", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_AppServiceWithEasyAuth_Succeeds()
    {
        Assert.Empty(Validate(new AuthOptions { Mode = AuthMode.AppService, LoginProvider = "aad" }, AzureWithEasyAuth));
    }

    [Fact]
    public void Validate_AppServiceLocallyWithTheUnverifiedFlag_Succeeds()
    {
        var options = new AuthOptions { Mode = AuthMode.AppService, LoginProvider = "google", AllowUnverifiedPrincipalHeaders = true };

        Assert.Empty(Validate(options, Local));
    }

    [Theory]
    [InlineData("WEBSITE_SITE_NAME")]
    [InlineData("WEBSITE_INSTANCE_ID")]
    public void Validate_UnverifiedFlagInAzure_IsRefused(string by)
    {
        var options = new AuthOptions { Mode = AuthMode.AppService, LoginProvider = "aad", AllowUnverifiedPrincipalHeaders = true };

        var errors = Validate(options, InAzure(by));

        var error = Assert.Single(errors);
        Assert.StartsWith("Auth__AllowUnverifiedPrincipalHeaders:", error);
    }

    [Fact]
    public void Validate_UnverifiedFlagInAzureEvenInDelegatedMode_IsRefused()
    {
        var errors = Validate(new AuthOptions { AllowUnverifiedPrincipalHeaders = true }, AzureWithEasyAuth);

        Assert.Contains(errors, e => e.StartsWith("Auth__AllowUnverifiedPrincipalHeaders", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_UndefinedMode_NamesAuthMode()
    {
        var errors = Validate(new AuthOptions { Mode = (AuthMode)7 }, Local);

        Assert.Contains(errors, e => e.StartsWith("Auth__Mode", StringComparison.Ordinal));
    }
}
