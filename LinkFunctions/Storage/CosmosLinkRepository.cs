namespace LinkFunctions.Storage;

public sealed class CosmosLinkRepository(CosmosDatabase database) : ILinkRepository
{
    private static readonly StorageJsonContext Json = StorageJsonContext.Default;
    private readonly DocumentContainer links = database.Links;

    public Task<Stored<LinkDocument>?> ReadAsync(string id, CancellationToken cancellationToken) =>
        links.ReadAsync(id, id, Json.LinkDocument, cancellationToken);

    public Task<(WriteOutcome Outcome, string? ETag)> CreateAsync(LinkDocument document, CancellationToken cancellationToken) =>
        links.CreateAsync(document, document.Id, Json.LinkDocument, cancellationToken);

    public Task<(WriteOutcome Outcome, string? ETag)> ReplaceAsync(LinkDocument document, string ifMatch, CancellationToken cancellationToken) =>
        links.ReplaceAsync(document, document.Id, document.Id, ifMatch, Json.LinkDocument, cancellationToken);

    public Task<WriteOutcome> DeleteAsync(string id, string ifMatch, CancellationToken cancellationToken) =>
        links.DeleteAsync(id, id, ifMatch, cancellationToken);
}
