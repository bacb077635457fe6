using Azure.Core;
using Azure.Identity;
using LinkFunctions.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LinkFunctions.Tests.Hosting;

public class AzureCredentialTests
{
    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(PlatformInfo.From(configuration));

        // Key Vault, Cosmos and telemetry each ask for it: the first registration wins.
        services.AddAzureCredential().AddAzureCredential().AddAzureCredential();
        return services.BuildServiceProvider();
    }

    [Theory]
    [InlineData("WEBSITE_SITE_NAME")]
    [InlineData("WEBSITE_INSTANCE_ID")]
    public void AddAzureCredential_InAzure_OneSharedManagedIdentityCredential(string platformSetting)
    {
        using var services = Services(new() { [platformSetting] = "linkfunctions-prod", ["AZURE_CLIENT_ID"] = "00000000-0000-0000-0000-000000000001" });

        var first = services.GetRequiredService<TokenCredential>();
        var second = services.GetRequiredService<TokenCredential>();

        Assert.IsType<ManagedIdentityCredential>(first);
        Assert.Same(first, second);
        Assert.Single(services.GetServices<TokenCredential>());
    }

    [Fact]
    public void AddAzureCredential_Locally_DefaultAzureCredential()
    {
        using var services = Services(new() { ["AZURE_CLIENT_ID"] = "00000000-0000-0000-0000-000000000001" });

        Assert.IsType<DefaultAzureCredential>(services.GetRequiredService<TokenCredential>());
    }

    [Fact]
    public void Create_InAzureWithoutAClientId_SystemAssignedManagedIdentity()
    {
        var credential = AzureCredential.Create(new PlatformInfo(RunsInAzure: true, EasyAuthEnabled: false), clientId: null);

        Assert.IsType<ManagedIdentityCredential>(credential);
    }
}
