namespace LinkFunctions.Storage;

/// <summary>Append-only link history in the <c>audit</c> container, partitioned by service user.</summary>
public interface IAuditLog
{
    /// <summary>Create-only: a redelivered event writes the same id and is absorbed.</summary>
    Task AppendAsync(AuditDocument entry, CancellationToken cancellationToken);
}
