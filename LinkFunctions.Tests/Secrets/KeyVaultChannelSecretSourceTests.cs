using Azure;
using Azure.Security.KeyVault.Secrets;
using LinkFunctions.Secrets;
using Moq;

namespace LinkFunctions.Tests.Secrets;

public class KeyVaultChannelSecretSourceTests
{
    [Fact]
    public async Task FetchAsync_ConfiguredName_ReadsThatSecretsValue()
    {
        var requested = new List<string>();
        var client = new Mock<SecretClient>();
        var response = Response.FromValue(SecretModelFactory.KeyVaultSecret(new SecretProperties("custom-name"), "vault-value"), Mock.Of<Response>());
        client.Setup(c => c.GetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback((string name, string _, CancellationToken _) => requested.Add(name)).ReturnsAsync(response);
        client.Setup(c => c.GetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .Callback((string name, string _, SecretContentType? _, CancellationToken _) => requested.Add(name)).ReturnsAsync(response);
        var source = new KeyVaultChannelSecretSource(client.Object, "custom-name");

        var secret = await source.FetchAsync(CancellationToken.None);

        Assert.Equal("vault-value", secret);
        Assert.Equal(new[] { "custom-name" }, requested);
        Assert.True(source.CanRefetch);
        Assert.Equal("custom-name", source.Name);
    }
}
