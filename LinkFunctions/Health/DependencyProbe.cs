using LinkFunctions.LineApi;
using LinkFunctions.Secrets;
using LinkFunctions.Storage;
using Microsoft.Azure.Cosmos;

namespace LinkFunctions.Health;

/// <summary>One dependency the webhook needs, and a cheap call that throws when it is not usable.</summary>
public sealed record DependencyProbe(string Name, Func<CancellationToken, Task> RunAsync);

/// <summary>The probes behind readiness and the start-up warm-up: each also warms what it touches.</summary>
public static class DependencyProbes
{
    /// <summary>Reads each container's properties: opens the client (account, routing) and proves the containers exist.</summary>
    public static DependencyProbe Cosmos(CosmosClient client, string databaseName) => new("cosmos", async cancellationToken =>
    {
        foreach (var spec in CosmosContainers.All)
        {
            using var response = await client.GetContainer(databaseName, spec.Name).ReadContainerStreamAsync(cancellationToken: cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new StorageException("container read", (int)response.StatusCode);
            }
        }
    });

    /// <summary>A held secret counts, however old: it is served while the vault is down.</summary>
    public static DependencyProbe ChannelSecret(ChannelSecretCache secrets) => new("channelSecret", cancellationToken =>
        secrets.HasSecret ? Task.CompletedTask : secrets.RefreshAsync(cancellationToken));

    public static DependencyProbe ChannelToken(ChannelAccessTokenProvider tokens) => new("channelToken", async cancellationToken =>
        await tokens.GetAsync(cancellationToken));
}
