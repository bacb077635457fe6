using LinkFunctions.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Storage;

/// <summary>Local runs (<c>Cosmos__CreateIfNotExists</c>): create the database and containers at start-up.</summary>
public sealed class CosmosInitializer(CosmosDatabase database, IOptions<CosmosOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.CreateIfNotExists ? database.CreateIfNotExistsAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
