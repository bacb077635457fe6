using LinkFunctions.Storage;

namespace LinkFunctions.Tests.Linking;

/// <summary>
/// Counts the writes of one flow across the fakes and fails the chosen one after it took effect, as when Cosmos
/// applied a write but its answer was lost (a timeout, a 503 on the way back): the crash point right after it.
/// </summary>
internal sealed class WriteFaults
{
    /// <summary>1-based number of the write to fail after it is applied; 0 never fails.</summary>
    public int FailAfter { get; set; }

    public List<string> Writes { get; } = [];

    public void Wrote(string what)
    {
        Writes.Add(what);
        if (Writes.Count == FailAfter)
        {
            throw new StorageException($"injected fault after write {Writes.Count} ({what})", 503);
        }
    }
}

/// <summary>An <see cref="ILinkRepository"/> that reports each write to <see cref="WriteFaults"/> once it is applied.</summary>
internal sealed class FaultingLinkRepository(ILinkRepository inner, WriteFaults faults) : ILinkRepository
{
    public Task<Stored<LinkDocument>?> ReadAsync(string id, CancellationToken cancellationToken) => inner.ReadAsync(id, cancellationToken);

    public async Task<(WriteOutcome Outcome, string? ETag)> CreateAsync(LinkDocument document, CancellationToken cancellationToken)
    {
        var result = await inner.CreateAsync(document, cancellationToken);
        if (result.Outcome == WriteOutcome.Ok)
        {
            // A refused create (the writer's blind create of a taken id) changed nothing: no crash point after it.
            faults.Wrote($"create {document.Id}");
        }

        return result;
    }

    public async Task<(WriteOutcome Outcome, string? ETag)> ReplaceAsync(LinkDocument document, string ifMatch, CancellationToken cancellationToken)
    {
        var result = await inner.ReplaceAsync(document, ifMatch, cancellationToken);
        faults.Wrote($"replace {document.Id}");
        return result;
    }

    public async Task<WriteOutcome> DeleteAsync(string id, string ifMatch, CancellationToken cancellationToken)
    {
        var result = await inner.DeleteAsync(id, ifMatch, cancellationToken);
        faults.Wrote($"delete {id}");
        return result;
    }
}

/// <summary>The audit container in memory: create-only by partition and key, as the container's unique key absorbs a repeated create.</summary>
internal sealed class InMemoryAuditLog(WriteFaults? faults = null) : IAuditLog
{
    private readonly object gate = new();
    private readonly Dictionary<(string Partition, string Key), AuditDocument> entries = [];

    public int Appends { get; private set; }

    public IReadOnlyList<AuditDocument> Entries
    {
        get
        {
            lock (gate)
            {
                return entries.Values.ToList();
            }
        }
    }

    public Task AppendAsync(AuditDocument entry, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            Appends++;
            entries.TryAdd((entry.Partition, entry.Key), entry);
        }

        faults?.Wrote($"audit {entry.Partition}");
        return Task.CompletedTask;
    }
}
