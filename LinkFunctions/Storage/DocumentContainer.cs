using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Azure.Cosmos;

namespace LinkFunctions.Storage;

/// <summary>
/// Stream-API access to one container: 404, 409 and 412 are protocol outcomes here, not exceptions, and every
/// body goes through source-generated System.Text.Json.
/// </summary>
public sealed class DocumentContainer(Container container)
{
    public async Task<Stored<T>?> ReadAsync<T>(string id, string partition, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await container.ReadItemStreamAsync(id, new PartitionKey(partition), cancellationToken: cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        Ensure(response, "read");
        var document = await JsonSerializer.DeserializeAsync(response.Content, type, cancellationToken)
            ?? throw new StorageException("read", (int)response.StatusCode);
        return new Stored<T>(document, response.Headers.ETag);
    }

    public async Task<(WriteOutcome Outcome, string? ETag)> CreateAsync<T>(T document, string partition, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var body = Serialize(document, type);
        using var response = await container.CreateItemStreamAsync(body, new PartitionKey(partition), cancellationToken: cancellationToken);
        return Outcome(response, "create");
    }

    public async Task<(WriteOutcome Outcome, string? ETag)> UpsertAsync<T>(T document, string partition, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var body = Serialize(document, type);
        using var response = await container.UpsertItemStreamAsync(body, new PartitionKey(partition), cancellationToken: cancellationToken);
        return Outcome(response, "upsert");
    }

    public async Task<(WriteOutcome Outcome, string? ETag)> ReplaceAsync<T>(T document, string id, string partition, string ifMatch, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var body = Serialize(document, type);
        using var response = await container.ReplaceItemStreamAsync(
            body, id, new PartitionKey(partition), new ItemRequestOptions { IfMatchEtag = ifMatch }, cancellationToken);
        return Outcome(response, "replace");
    }

    public async Task<WriteOutcome> DeleteAsync(string id, string partition, string? ifMatch, CancellationToken cancellationToken)
    {
        using var response = await container.DeleteItemStreamAsync(
            id, new PartitionKey(partition), ifMatch is null ? null : new ItemRequestOptions { IfMatchEtag = ifMatch }, cancellationToken);
        return Outcome(response, "delete").Outcome;
    }

    /// <summary>
    /// One page of a query, or of the whole container when <paramref name="query"/> is null (the read feed, which also
    /// works where nothing is indexed). Documents stay raw JSON: a scan meets every kind of document.
    /// </summary>
    public async Task<(IReadOnlyList<JsonElement> Documents, string? Continuation)> QueryPageAsync(
        QueryDefinition? query, string? partition, string? continuation, int maxItems, CancellationToken cancellationToken)
    {
        var options = new QueryRequestOptions { MaxItemCount = maxItems };
        if (partition is not null)
        {
            options.PartitionKey = new PartitionKey(partition);
        }

        using var iterator = container.GetItemQueryStreamIterator(query, continuation, options);
        using var response = await iterator.ReadNextAsync(cancellationToken);
        Ensure(response, "query");
        using var json = await JsonDocument.ParseAsync(response.Content, cancellationToken: cancellationToken);
        var documents = json.RootElement.GetProperty("Documents").EnumerateArray().Select(d => d.Clone()).ToList();
        return (documents, response.ContinuationToken);
    }

    /// <summary>Every document <paramref name="query"/> (or the read feed) yields, page by page.</summary>
    public async IAsyncEnumerable<JsonElement> QueryAllAsync(
        QueryDefinition? query, string? partition, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? continuation = null;
        do
        {
            var (documents, next) = await QueryPageAsync(query, partition, continuation, 100, cancellationToken);
            foreach (var document in documents)
            {
                yield return document;
            }

            continuation = next;
        }
        while (continuation is not null);
    }

    private static MemoryStream Serialize<T>(T document, JsonTypeInfo<T> type) =>
        new(JsonSerializer.SerializeToUtf8Bytes(document, type), writable: false);

    private static (WriteOutcome Outcome, string? ETag) Outcome(ResponseMessage response, string operation) => response.StatusCode switch
    {
        HttpStatusCode.Conflict => (WriteOutcome.Conflict, null),
        HttpStatusCode.PreconditionFailed => (WriteOutcome.PreconditionFailed, null),
        HttpStatusCode.NotFound => (WriteOutcome.NotFound, null),
        _ => (Ensure(response, operation), response.Headers.ETag),
    };

    private static WriteOutcome Ensure(ResponseMessage response, string operation) =>
        response.IsSuccessStatusCode
            ? WriteOutcome.Ok
            : throw new StorageException(operation, (int)response.StatusCode);
}
