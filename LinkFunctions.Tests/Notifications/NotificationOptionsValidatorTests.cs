using LinkFunctions.Hosting;
using LinkFunctions.Notifications;
using LinkFunctions.Secrets;
using Microsoft.Extensions.Options;
using static LinkFunctions.Tests.Hosting.OptionsTestPlatforms;

namespace LinkFunctions.Tests.Notifications;

public class NotificationOptionsValidatorTests
{
    private static readonly Uri VaultUri = new("https://kv-links.vault.azure.net/");

    private static IReadOnlyList<string> Validate(NotificationOptions options, PlatformInfo? platform = null, Uri? vault = null) =>
        Errors(new NotificationOptionsValidator(platform ?? Local, Options.Create(new KeyVaultOptions { VaultUri = vault })).Validate(null, options));

    [Fact]
    public void Validate_NotifyUrlUnset_SucceedsWithoutSecret()
    {
        Assert.Empty(Validate(new NotificationOptions()));
    }

    [Theory]
    [InlineData("https://service.example.com/hooks/line-links")]
    [InlineData("http://127.0.0.1:5005/hooks")]
    [InlineData("http://localhost:3000/hooks")]
    [InlineData("http://[::1]:3000/hooks")]
    public void Validate_HttpsOrLoopbackHttp_Succeeds(string url)
    {
        Assert.Empty(Validate(new NotificationOptions { NotifyUrl = new Uri(url), NotifySecret = "s" }));
    }

    [Theory]
    [InlineData("http://service.example.com/hooks")]
    [InlineData("http://10.0.0.5/hooks")]
    [InlineData("ftp://service.example.com/hooks")]
    public void Validate_NotifyUrlPlainHttpOffLoopback_RefusedNamingTheSetting(string url)
    {
        var error = Assert.Single(Validate(new NotificationOptions { NotifyUrl = new Uri(url), NotifySecret = "s" }));

        Assert.StartsWith("Linking__NotifyUrl", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NotifyUrlWithoutSecretOrVault_NamesNotifySecret()
    {
        var error = Assert.Single(Validate(new NotificationOptions { NotifyUrl = new Uri("https://service.example.com/hooks") }));

        Assert.StartsWith("Linking__NotifySecret", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_InAzureWithVault_SucceedsWithoutLocalSecret()
    {
        Assert.Empty(Validate(new NotificationOptions { NotifyUrl = new Uri("https://service.example.com/hooks") }, AzureBySiteName, VaultUri));
    }

    [Theory]
    [InlineData("WEBSITE_SITE_NAME")]
    [InlineData("WEBSITE_INSTANCE_ID")]
    public void Validate_LocalSecretInAzure_RefusedAsLocalOnly(string by)
    {
        var error = Assert.Single(Validate(
            new NotificationOptions { NotifyUrl = new Uri("https://service.example.com/hooks"), NotifySecret = "s" }, InAzure(by), VaultUri));

        Assert.StartsWith("Linking__NotifySecret: is a local-only setting", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_VaultWithEmptySecretName_NamesNotifySecretName()
    {
        var error = Assert.Single(Validate(
            new NotificationOptions { NotifyUrl = new Uri("https://service.example.com/hooks"), NotifySecretName = " " }, vault: VaultUri));

        Assert.StartsWith("Linking__NotifySecretName", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(51)]
    public void Validate_MaxAttemptsOutOfRange_NamesNotifyMaxAttempts(int attempts)
    {
        var error = Assert.Single(Validate(new NotificationOptions { NotifyMaxAttempts = attempts }));

        Assert.StartsWith("Linking__NotifyMaxAttempts", error, StringComparison.Ordinal);
    }
}
