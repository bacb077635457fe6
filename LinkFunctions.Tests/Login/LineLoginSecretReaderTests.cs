using Azure;
using Azure.Security.KeyVault.Secrets;
using LinkFunctions.Hosting;
using LinkFunctions.Login;
using LinkFunctions.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace LinkFunctions.Tests.Login;

public class LineLoginSecretReaderTests
{
    private const string VaultSecret = "0123456789abcdef0123456789abcdef";

    /// <summary>A reader whose Key Vault holds <paramref name="value"/> under every name; each name asked for is recorded.</summary>
    internal static LineLoginSecretReader VaultReader(string value, List<string> requested)
    {
        var client = new Mock<SecretClient>();
        var response = Response.FromValue(SecretModelFactory.KeyVaultSecret(new SecretProperties("any"), value), Mock.Of<Response>());
        client.Setup(c => c.GetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback((string name, string _, CancellationToken _) => requested.Add(name)).ReturnsAsync(response);
        client.Setup(c => c.GetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .Callback((string name, string _, SecretContentType? _, CancellationToken _) => requested.Add(name)).ReturnsAsync(response);
        var services = new ServiceCollection().AddSingleton(client.Object).BuildServiceProvider();
        return new LineLoginSecretReader(new ChannelSecretCacheFactory(
            Options.Create(new KeyVaultOptions { VaultUri = new Uri("https://vault.example") }), services, TimeProvider.System, NullLoggerFactory.Instance));
    }

    [Fact]
    public async Task ChannelSecret_KeyVaultConfigured_ReadsTheNamedSecretOnceThroughSecretClient()
    {
        var requested = new List<string>();
        var secret = new LineLoginChannelSecret(
            VaultReader(VaultSecret, requested), Options.Create(new LineLoginOptions { ChannelSecretName = "login-secret", ChannelSecret = "local-value-ignored" }));

        var first = await secret.GetAsync(default);
        var second = await secret.GetAsync(default);

        Assert.Equal(VaultSecret, first);
        Assert.Equal(VaultSecret, second);
        Assert.Equal(new[] { "login-secret" }, requested);
    }
}
