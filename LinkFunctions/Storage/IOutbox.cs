namespace LinkFunctions.Storage;

/// <summary>The <c>outbox</c> container: link-change notifications, one partition per service user.</summary>
public interface IOutbox
{
    /// <summary>Create-only: <see cref="WriteOutcome.Conflict"/> means the change was recorded already.</summary>
    Task<WriteOutcome> CreateAsync(OutboxDocument entry, CancellationToken cancellationToken);

    Task<Stored<OutboxDocument>?> ReadAsync(string id, string partition, CancellationToken cancellationToken);

    Task<(WriteOutcome Outcome, string? ETag)> ReplaceAsync(OutboxDocument entry, string ifMatch, CancellationToken cancellationToken);

    Task<WriteOutcome> DeleteAsync(string id, string partition, string? ifMatch, CancellationToken cancellationToken);

    /// <summary>Pending entries with their ETags: one user's (<paramref name="partition"/>) or, when null, everyone's.</summary>
    Task<IReadOnlyList<Stored<OutboxDocument>>> PendingAsync(string? partition, CancellationToken cancellationToken);

    /// <summary>Every entry of one user, whatever its state (erasure).</summary>
    Task<IReadOnlyList<Stored<OutboxDocument>>> AllAsync(string partition, CancellationToken cancellationToken);
}
