using LinkFunctions.Hosting;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Storage;

/// <summary>The app's containers on the one singleton <see cref="CosmosClient"/>.</summary>
public sealed class CosmosDatabase(CosmosClient client, IOptions<CosmosOptions> options)
{
    public DocumentContainer Links { get; } = new(client.GetContainer(options.Value.DatabaseName, CosmosContainers.Links.Name));

    public DocumentContainer Transient { get; } = new(client.GetContainer(options.Value.DatabaseName, CosmosContainers.Transient.Name));

    public DocumentContainer Audit { get; } = new(client.GetContainer(options.Value.DatabaseName, CosmosContainers.Audit.Name));

    /// <summary>Read whole by erasure only; the notifier has its own typed <see cref="CosmosOutbox"/>.</summary>
    public DocumentContainer Outbox { get; } = new(client.GetContainer(options.Value.DatabaseName, CosmosContainers.Outbox.Name));

    /// <summary>Local runs only: in Azure the app's data-plane role cannot create containers, and Bicep declares them.</summary>
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken)
    {
        var response = await client.CreateDatabaseIfNotExistsAsync(options.Value.DatabaseName, cancellationToken: cancellationToken);
        foreach (var spec in CosmosContainers.All)
        {
            var properties = new ContainerProperties(spec.Name, spec.PartitionKeyPath) { DefaultTimeToLive = spec.DefaultTimeToLive };
            if (spec.UniqueKeyPath is { } unique)
            {
                properties.UniqueKeyPolicy.UniqueKeys.Add(new UniqueKey { Paths = { unique } });
            }

            await response.Database.CreateContainerIfNotExistsAsync(properties, cancellationToken: cancellationToken);
        }
    }
}
