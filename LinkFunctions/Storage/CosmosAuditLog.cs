using System.Globalization;
using System.Text.Json;
using Microsoft.Azure.Cosmos;

namespace LinkFunctions.Storage;

public sealed class CosmosAuditLog(CosmosDatabase database) : IAuditLog, IAuditHistory
{
    public Task AppendAsync(AuditDocument entry, CancellationToken cancellationToken) =>
        database.Audit.CreateAsync(entry, entry.Partition, StorageJsonContext.Default.AuditDocument, cancellationToken);

    public async Task<IReadOnlyList<AuditDocument>> ReadPageAsync(string partition, string? afterId, int count, CancellationToken cancellationToken)
    {
        // The partition equality stays in the SQL text as well as in the request options: the local test server
        // filters by either, and a real account serves it as a single-partition query. id is always indexed.
        var query = new QueryDefinition(
                $"SELECT TOP {count.ToString(CultureInfo.InvariantCulture)} * FROM c WHERE c.partition = @partition AND c.id > @after ORDER BY c.id ASC")
            .WithParameter("@partition", partition)
            .WithParameter("@after", afterId ?? "");
        var entries = new List<AuditDocument>(count);
        await foreach (var document in database.Audit.QueryAllAsync(query, partition, cancellationToken))
        {
            entries.Add(document.Deserialize(StorageJsonContext.Default.AuditDocument)
                ?? throw new StorageException("history read (empty document)", 200));
        }

        return entries;
    }

    public async Task<int> DeletePartitionAsync(string partition, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT c.id FROM c WHERE c.partition = @partition").WithParameter("@partition", partition);
        var ids = new List<string>();
        await foreach (var document in database.Audit.QueryAllAsync(query, partition, cancellationToken))
        {
            ids.Add(document.GetProperty("id").GetString()!);
        }

        foreach (var id in ids)
        {
            await database.Audit.DeleteAsync(id, partition, ifMatch: null, cancellationToken);
        }

        return ids.Count;
    }
}
