using LinkFunctions.Storage;
using Microsoft.Azure.Cosmos;

namespace LinkFunctions.Tests.TestSupport;

/// <summary>Audit ids carry the time (newest first), so tests find an entry by its dedupe key instead.</summary>
public static class AuditEntries
{
    public static async Task<IReadOnlyList<AuditDocument>> InPartitionAsync(CosmosDatabase database, string partition)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.partition = @partition").WithParameter("@partition", partition);
        var entries = new List<AuditDocument>();
        await foreach (var document in database.Audit.QueryAllAsync(query, partition, default))
        {
            entries.Add(System.Text.Json.JsonSerializer.Deserialize(document, StorageJsonContext.Default.AuditDocument)!);
        }

        return entries;
    }

    public static async Task<AuditDocument?> ByKeyAsync(CosmosDatabase database, string partition, string key) =>
        (await InPartitionAsync(database, partition)).SingleOrDefault(e => e.Key == key);
}
