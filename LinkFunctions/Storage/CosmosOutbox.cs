using System.Text.Json;
using LinkFunctions.Hosting;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Storage;

public sealed class CosmosOutbox(CosmosClient client, IOptions<CosmosOptions> options) : IOutbox
{
    private static readonly OutboxJsonContext Json = OutboxJsonContext.Default;
    private readonly Container container = client.GetContainer(options.Value.DatabaseName, CosmosContainers.Outbox.Name);
    private readonly DocumentContainer documents = new(client.GetContainer(options.Value.DatabaseName, CosmosContainers.Outbox.Name));

    public async Task<WriteOutcome> CreateAsync(OutboxDocument entry, CancellationToken cancellationToken) =>
        (await documents.CreateAsync(entry, entry.Partition, Json.OutboxDocument, cancellationToken)).Outcome;

    public Task<Stored<OutboxDocument>?> ReadAsync(string id, string partition, CancellationToken cancellationToken) =>
        documents.ReadAsync(id, partition, Json.OutboxDocument, cancellationToken);

    public Task<(WriteOutcome Outcome, string? ETag)> ReplaceAsync(OutboxDocument entry, string ifMatch, CancellationToken cancellationToken) =>
        documents.ReplaceAsync(entry, entry.Id, entry.Partition, ifMatch, Json.OutboxDocument, cancellationToken);

    public Task<WriteOutcome> DeleteAsync(string id, string partition, string? ifMatch, CancellationToken cancellationToken) =>
        documents.DeleteAsync(id, partition, ifMatch, cancellationToken);

    public Task<IReadOnlyList<Stored<OutboxDocument>>> PendingAsync(string? partition, CancellationToken cancellationToken) =>
        QueryAsync(
            partition is null
                ? new QueryDefinition("SELECT * FROM c WHERE c.status = @status").WithParameter("@status", OutboxStates.Pending)
                : new QueryDefinition("SELECT * FROM c WHERE c.partition = @partition AND c.status = @status")
                    .WithParameter("@partition", partition).WithParameter("@status", OutboxStates.Pending),
            partition,
            cancellationToken);

    public Task<IReadOnlyList<Stored<OutboxDocument>>> AllAsync(string partition, CancellationToken cancellationToken) =>
        QueryAsync(new QueryDefinition("SELECT * FROM c WHERE c.partition = @partition").WithParameter("@partition", partition), partition, cancellationToken);

    /// <summary>
    /// The partition key goes into the SQL text as well as the request options: the local server filters by the text.
    /// Entries come back with their own <c>_etag</c>, which the claim's If-Match needs.
    /// </summary>
    private async Task<IReadOnlyList<Stored<OutboxDocument>>> QueryAsync(QueryDefinition query, string? partition, CancellationToken cancellationToken)
    {
        var requestOptions = new QueryRequestOptions { MaxItemCount = 200 };
        if (partition is not null)
        {
            requestOptions.PartitionKey = new PartitionKey(partition);
        }

        var found = new List<Stored<OutboxDocument>>();
        using var iterator = container.GetItemQueryStreamIterator(query, requestOptions: requestOptions);
        while (iterator.HasMoreResults)
        {
            using var response = await iterator.ReadNextAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new StorageException("outbox query", (int)response.StatusCode);
            }

            using var page = await JsonDocument.ParseAsync(response.Content, cancellationToken: cancellationToken);
            foreach (var item in page.RootElement.GetProperty("Documents").EnumerateArray())
            {
                var entry = item.Deserialize(Json.OutboxDocument) ?? throw new StorageException("outbox query", (int)response.StatusCode);
                found.Add(new Stored<OutboxDocument>(entry, item.GetProperty("_etag").GetString()!));
            }
        }

        return found;
    }
}
