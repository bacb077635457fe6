namespace LinkFunctions.Storage;

public sealed class CosmosTransientRepository(CosmosDatabase database, TimeProvider time) : ITransientRepository
{
    private static readonly StorageJsonContext Json = StorageJsonContext.Default;
    private readonly DocumentContainer transient = database.Transient;

    public Task<Stored<NonceDocument>?> ReadNonceAsync(string id, CancellationToken cancellationToken) =>
        transient.ReadAsync(id, id, Json.NonceDocument, cancellationToken);

    public async Task<WriteOutcome> CreateNonceAsync(NonceDocument nonce, CancellationToken cancellationToken) =>
        (await transient.CreateAsync(nonce, nonce.Id, Json.NonceDocument, cancellationToken)).Outcome;

    public async Task<WriteOutcome> ReplaceNonceAsync(NonceDocument nonce, string ifMatch, CancellationToken cancellationToken) =>
        (await transient.ReplaceAsync(nonce, nonce.Id, nonce.Id, ifMatch, Json.NonceDocument, cancellationToken)).Outcome;

    public Task<Stored<LinkTokenDocument>?> ReadLinkTokenAsync(string id, CancellationToken cancellationToken) =>
        transient.ReadAsync(id, id, Json.LinkTokenDocument, cancellationToken);

    public Task SaveLinkTokenAsync(LinkTokenDocument linkToken, CancellationToken cancellationToken) =>
        transient.UpsertAsync(linkToken, linkToken.Id, Json.LinkTokenDocument, cancellationToken);

    public Task<Stored<LinkClaimDocument>?> ReadLinkClaimAsync(string id, CancellationToken cancellationToken) =>
        transient.ReadAsync(id, id, Json.LinkClaimDocument, cancellationToken);

    public async Task<WriteOutcome> CreateLinkClaimAsync(LinkClaimDocument claim, CancellationToken cancellationToken) =>
        (await transient.CreateAsync(claim, claim.Id, Json.LinkClaimDocument, cancellationToken)).Outcome;

    public async Task<bool> TryCreateMarkerAsync(EventMarkerDocument marker, CancellationToken cancellationToken)
    {
        if ((await transient.CreateAsync(marker, marker.Id, Json.EventMarkerDocument, cancellationToken)).Outcome == WriteOutcome.Ok)
        {
            return true;
        }

        // The ttl only collects garbage, and late: a marker past its expiresAt no longer counts, and is taken over
        // with If-Match so that only one of several racing deliveries wins it.
        var existing = await transient.ReadAsync(marker.Id, marker.Id, Json.EventMarkerDocument, cancellationToken);
        return existing is not null && existing.Document.ExpiresAt <= time.GetUtcNow()
            && (await transient.ReplaceAsync(marker, marker.Id, marker.Id, existing.ETag, Json.EventMarkerDocument, cancellationToken)).Outcome == WriteOutcome.Ok;
    }

    public Task DeleteMarkerAsync(string id, CancellationToken cancellationToken) =>
        transient.DeleteAsync(id, id, ifMatch: null, cancellationToken);
}
