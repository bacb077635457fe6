using LinkFunctions.Hosting;
using LinkFunctions.LineApi;
using LinkFunctions.Secrets;
using Microsoft.Extensions.Options;
using static LinkFunctions.Tests.Hosting.OptionsTestPlatforms;

namespace LinkFunctions.Tests.LineApi;

public class LineOptionsValidatorTests
{
    private static readonly Uri VaultUri = new("https://kv-links.vault.azure.net/");

    private static IReadOnlyList<string> Validate(LineOptions options, PlatformInfo? platform = null, Uri? vault = null) =>
        Errors(new LineOptionsValidator(platform ?? Local, Options.Create(new KeyVaultOptions { VaultUri = vault })).Validate(null, options));

    [Fact]
    public void Validate_LocalWithChannelSecret_Succeeds()
    {
        Assert.Empty(Validate(new LineOptions { ChannelId = "1234567890", ChannelSecret = "secret" }));
    }

    [Theory]
    [InlineData("WEBSITE_SITE_NAME")]
    [InlineData("WEBSITE_INSTANCE_ID")]
    public void Validate_AzureWithKeyVault_Succeeds(string by)
    {
        Assert.Empty(Validate(new LineOptions { ChannelId = "1234567890" }, InAzure(by), VaultUri));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("12345abc")]
    [InlineData("-1")]
    public void Validate_ChannelIdMissingOrNotDigits_NamesLineChannelId(string channelId)
    {
        var errors = Validate(new LineOptions { ChannelId = channelId, ChannelSecret = "secret" });

        Assert.Contains(errors, e => e.StartsWith("Line__ChannelId", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NoSecretAndNoKeyVault_NamesLineChannelSecret()
    {
        var errors = Validate(new LineOptions { ChannelId = "1234567890" });

        Assert.Contains(errors, e => e.StartsWith("Line__ChannelSecret", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Validate_KeyVaultWithoutSecretName_NamesLineChannelSecretName(string name)
    {
        var errors = Validate(new LineOptions { ChannelId = "1234567890", ChannelSecretName = name }, vault: VaultUri);

        Assert.Contains(errors, e => e.StartsWith("Line__ChannelSecretName", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("WEBSITE_SITE_NAME")]
    [InlineData("WEBSITE_INSTANCE_ID")]
    public void Validate_ChannelSecretInAzure_IsRefused(string by)
    {
        var errors = Validate(new LineOptions { ChannelId = "1234567890", ChannelSecret = "secret" }, InAzure(by), VaultUri);

        var error = Assert.Single(errors);
        Assert.StartsWith("Line__ChannelSecret:", error);
        Assert.Contains("local-only", error);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("http://localhost:5000/line")]
    [InlineData("http://[::1]:8080")]
    [InlineData("https://api.line.me")]
    public void Validate_ApiBaseUrlHttpsOrLoopbackHttp_IsAccepted(string url)
    {
        Assert.Empty(Validate(new LineOptions { ChannelId = "1", ChannelSecret = "s", ApiBaseUrl = new Uri(url), AccessBaseUrl = new Uri(url) }));
    }

    [Theory]
    [InlineData("http://api.line.me")]
    [InlineData("http://10.0.0.5:8080")]
    [InlineData("ftp://api.line.me")]
    public void Validate_ApiBaseUrlPlainHttpOffLoopback_NamesTheSetting(string url)
    {
        var errors = Validate(new LineOptions { ChannelId = "1", ChannelSecret = "s", ApiBaseUrl = new Uri(url), AccessBaseUrl = new Uri(url) });

        Assert.Contains(errors, e => e.StartsWith("Line__ApiBaseUrl", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Line__AccessBaseUrl", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_RelativeApiBaseUrl_NamesTheSetting()
    {
        var errors = Validate(new LineOptions { ChannelId = "1", ChannelSecret = "s", ApiBaseUrl = new Uri("/line", UriKind.Relative) });

        Assert.Contains(errors, e => e.StartsWith("Line__ApiBaseUrl", StringComparison.Ordinal));
    }
}
