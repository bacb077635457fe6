using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LinkFunctions.Hosting;

/// <summary>
/// The one credential that Key Vault, Cosmos and Application Insights share. In Azure it is the managed identity
/// only: <see cref="DefaultAzureCredential"/> would first try environment and developer credentials, inside the
/// webhook's budget. Locally, the developer's own sign-in.
/// </summary>
public static class AzureCredential
{
    /// <summary>The user-assigned identity's client ID, set by the infrastructure in Azure.</summary>
    public const string ClientIdSetting = "AZURE_CLIENT_ID";

    public static TokenCredential Create(PlatformInfo platform, string? clientId) => platform.RunsInAzure
        ? new ManagedIdentityCredential(string.IsNullOrEmpty(clientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId))
        : new DefaultAzureCredential();

    /// <summary>Registers the shared credential once, whichever extension asks first.</summary>
    public static IServiceCollection AddAzureCredential(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => Create(sp.GetRequiredService<PlatformInfo>(), sp.GetRequiredService<IConfiguration>()[ClientIdSetting]));
        return services;
    }
}
