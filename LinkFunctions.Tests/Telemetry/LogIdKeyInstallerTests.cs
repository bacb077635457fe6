using System.Text;
using Azure;
using Azure.Security.KeyVault.Secrets;
using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using LinkFunctions.Secrets;
using LinkFunctions.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Moq;

namespace LinkFunctions.Tests.Telemetry;

/// <summary>
/// These install process-wide keys. They share the Cosmos collection (run one at a time) with
/// <see cref="LogIdHashingStartupTests"/>, the only other test that reads which key <see cref="LogIds"/> holds.
/// </summary>
[Collection(LinkFunctions.Tests.TestSupport.CosmosCollection.Name)]
public sealed class LogIdKeyInstallerTests
{
    private const string VaultKey = "vault-held-key-0123456789abcdefghijkl";
    private readonly FakeLogger<LogIdKeyInstaller> logger = new();

    [Fact]
    public async Task StartAsync_ConfiguredKey_HashesUseIt()
    {
        const string key = "configured-key-0123456789abcdefghijkl";

        await Installer(new TelemetryOptions { IdHashKey = key }, vault: null).StartAsync(default);

        Assert.Equal(LogIds.Hash("customer-7", Encoding.UTF8.GetBytes(key)), LogIds.Hash("customer-7"));
    }

    [Fact]
    public async Task StartAsync_VaultSet_HashesUseTheNamedSecret()
    {
        var requested = new List<string>();
        var vault = Vault(name =>
        {
            requested.Add(name);
            return Response.FromValue(SecretModelFactory.KeyVaultSecret(new SecretProperties(name), VaultKey), Mock.Of<Response>());
        });

        await Installer(new TelemetryOptions { IdHashKeySecretName = "custom-hash-key" }, vault).StartAsync(default);

        Assert.Equal(["custom-hash-key"], requested);
        Assert.Equal(LogIds.Hash("customer-7", Encoding.UTF8.GetBytes(VaultKey)), LogIds.Hash("customer-7"));
    }

    [Fact]
    public async Task StartAsync_VaultFails_StartsAndWarnsNamingTheSecret()
    {
        var vault = Vault(_ => throw new RequestFailedException(403, "Forbidden"));

        await Installer(new TelemetryOptions(), vault).StartAsync(default);

        var warning = Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains(TelemetryOptions.DefaultIdHashKeySecretName, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_VaultUnreachableAfterTheSdksRetries_StartsAndWarns()
    {
        var vault = Vault(_ => throw new AggregateException("Retry failed after 3 tries.", new RequestFailedException("Connection refused")));

        await Installer(new TelemetryOptions(), vault).StartAsync(default);

        Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task StartAsync_NothingConfigured_WarnsNamingTheSettings()
    {
        await Installer(new TelemetryOptions(), vault: null).StartAsync(default);

        var warning = Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("Telemetry__IdHashKey", warning.Message, StringComparison.Ordinal);
        Assert.Contains("KeyVault__VaultUri", warning.Message, StringComparison.Ordinal);
    }

    private static SecretClient Vault(Func<string, Response<KeyVaultSecret>> answer)
    {
        var client = new Mock<SecretClient>();
        client.Setup(c => c.GetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string name, string _, CancellationToken _) => answer(name));
        client.Setup(c => c.GetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string name, string _, SecretContentType? _, CancellationToken _) => answer(name));
        return client.Object;
    }

    private LogIdKeyInstaller Installer(TelemetryOptions options, SecretClient? vault)
    {
        var services = new ServiceCollection();
        if (vault is not null)
        {
            services.AddSingleton(vault);
        }

        var vaultOptions = new KeyVaultOptions { VaultUri = vault is null ? null : new Uri("https://kv-links.vault.azure.net/") };
        return new LogIdKeyInstaller(Options.Create(options), Options.Create(vaultOptions), services.BuildServiceProvider(), logger);
    }
}
