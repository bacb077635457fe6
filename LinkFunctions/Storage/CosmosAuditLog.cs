namespace LinkFunctions.Storage;

public sealed class CosmosAuditLog(CosmosDatabase database) : IAuditLog
{
    public Task AppendAsync(AuditDocument entry, CancellationToken cancellationToken) =>
        database.Audit.CreateAsync(entry, entry.Partition, StorageJsonContext.Default.AuditDocument, cancellationToken);
}
