namespace LinkFunctions.Storage;

/// <summary>The two halves of every link, in the <c>links</c> container (partition key = id).</summary>
public interface ILinkRepository
{
    Task<Stored<LinkDocument>?> ReadAsync(string id, CancellationToken cancellationToken);

    Task<(WriteOutcome Outcome, string? ETag)> CreateAsync(LinkDocument document, CancellationToken cancellationToken);

    Task<(WriteOutcome Outcome, string? ETag)> ReplaceAsync(LinkDocument document, string ifMatch, CancellationToken cancellationToken);

    Task<WriteOutcome> DeleteAsync(string id, string ifMatch, CancellationToken cancellationToken);
}
