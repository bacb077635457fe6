using System.Text;
using Azure;
using Azure.Security.KeyVault.Secrets;
using LinkFunctions.Hosting;
using LinkFunctions.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace LinkFunctions.Tests.Secrets;

public class ChannelSecretCacheFactoryTests
{
    private readonly FakeTimeProvider time = new();

    private ChannelSecretCacheFactory Factory(Uri? vaultUri, SecretClient? client = null)
    {
        var services = new ServiceCollection();
        if (client is not null)
        {
            services.AddSingleton(client);
        }

        return new ChannelSecretCacheFactory(
            Options.Create(new KeyVaultOptions { VaultUri = vaultUri }), services.BuildServiceProvider(), time, NullLoggerFactory.Instance);
    }

    [Fact]
    public async Task Create_TwoSecretNamesWithAVault_EachCacheReadsItsOwnSecret()
    {
        static Response<KeyVaultSecret> ValueOf(string name) =>
            Response.FromValue(SecretModelFactory.KeyVaultSecret(new SecretProperties(name), "value-of-" + name), Mock.Of<Response>());
        var client = new Mock<SecretClient>();
        client.Setup(c => c.GetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string name, string _, CancellationToken _) => ValueOf(name));
        client.Setup(c => c.GetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string name, string _, SecretContentType? _, CancellationToken _) => ValueOf(name));
        var factory = Factory(new Uri("https://vault.example.net/"), client.Object);

        var messaging = await factory.Create("line-channel-secret", localValue: null, "Line__ChannelSecret").GetAsync(CancellationToken.None);
        var login = await factory.Create("line-login-channel-secret", localValue: null, "LineLogin__ChannelSecret").GetAsync(CancellationToken.None);

        Assert.Equal(Encoding.UTF8.GetBytes("value-of-line-channel-secret"), messaging);
        Assert.Equal(Encoding.UTF8.GetBytes("value-of-line-login-channel-secret"), login);
    }

    [Fact]
    public async Task Create_NoVault_UsesTheLocalValueAndNamesItsSettingWhenMissing()
    {
        var factory = Factory(vaultUri: null);

        var local = await factory.Create("ignored", "local-secret", "Line__ChannelSecret").GetAsync(CancellationToken.None);
        var missing = await Assert.ThrowsAsync<InvalidOperationException>(
            () => factory.Create("ignored", localValue: null, "LineLogin__ChannelSecret").GetAsync(CancellationToken.None).AsTask());

        Assert.Equal(Encoding.UTF8.GetBytes("local-secret"), local);
        Assert.Contains("LineLogin__ChannelSecret", missing.Message, StringComparison.Ordinal);
    }
}
