using LinkFunctions.Health;
using LinkFunctions.LineApi;
using LinkFunctions.Secrets;
using LinkFunctions.Storage;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Hosting;

public static class ReadinessExtensions
{
    /// <summary>The dependency probes, the cached readiness check over them, and the start-up warm-up that runs them once.</summary>
    public static IHostApplicationBuilder AddReadiness(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => DependencyProbes.Cosmos(
            sp.GetRequiredService<CosmosClient>(), sp.GetRequiredService<IOptions<CosmosOptions>>().Value.DatabaseName));
        builder.Services.AddSingleton(sp => DependencyProbes.ChannelSecret(sp.GetRequiredService<ChannelSecretCache>()));
        builder.Services.AddSingleton(sp => DependencyProbes.ChannelToken(sp.GetRequiredService<ChannelAccessTokenProvider>()));
        builder.Services.AddSingleton<ReadinessCheck>();

        // After the Cosmos initializer, which creates the containers on local runs.
        builder.Services.AddHostedService<DependencyWarmUp>();
        return builder;
    }
}
