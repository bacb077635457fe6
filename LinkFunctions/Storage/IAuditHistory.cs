namespace LinkFunctions.Storage;

/// <summary>Reading and erasing the <c>audit</c> container: the only ways, besides appending, that it is touched.</summary>
public interface IAuditHistory
{
    /// <summary>
    /// Up to <paramref name="count"/> entries of one partition, newest first, starting after the entry whose id is
    /// <paramref name="afterId"/> (null: from the newest). Ids sort newest first, so the page is a key-set range.
    /// </summary>
    Task<IReadOnlyList<AuditDocument>> ReadPageAsync(string partition, string? afterId, int count, CancellationToken cancellationToken);

    /// <summary>Deletes every entry of one partition; returns how many it deleted.</summary>
    Task<int> DeletePartitionAsync(string partition, CancellationToken cancellationToken);
}
