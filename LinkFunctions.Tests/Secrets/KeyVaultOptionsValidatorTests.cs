using LinkFunctions.Hosting;
using LinkFunctions.Secrets;
using static LinkFunctions.Tests.Hosting.OptionsTestPlatforms;

namespace LinkFunctions.Tests.Secrets;

public class KeyVaultOptionsValidatorTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("https://kv-links.vault.azure.net/")]
    [InlineData("http://127.0.0.1:8443/")]
    public void Validate_UnsetHttpsOrLoopback_Succeeds(string? url)
    {
        var options = new KeyVaultOptions { VaultUri = url is null ? null : new Uri(url) };

        Assert.Empty(Errors(new KeyVaultOptionsValidator().Validate(null, options)));
    }

    [Fact]
    public void Validate_PlainHttpOffLoopback_NamesKeyVaultVaultUri()
    {
        var options = new KeyVaultOptions { VaultUri = new Uri("http://kv-links.vault.azure.net/") };

        var error = Assert.Single(Errors(new KeyVaultOptionsValidator().Validate(null, options)));

        Assert.StartsWith("KeyVault__VaultUri:", error);
    }
}
