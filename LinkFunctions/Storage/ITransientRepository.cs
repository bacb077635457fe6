namespace LinkFunctions.Storage;

/// <summary>
/// Nonces, link-token bindings and claims, and event markers in the <c>transient</c> container. Expiry is the caller's check
/// against <c>expiresAt</c>; the item <c>ttl</c> only collects garbage.
/// </summary>
public interface ITransientRepository
{
    Task<Stored<NonceDocument>?> ReadNonceAsync(string id, CancellationToken cancellationToken);

    Task<WriteOutcome> CreateNonceAsync(NonceDocument nonce, CancellationToken cancellationToken);

    Task<WriteOutcome> ReplaceNonceAsync(NonceDocument nonce, string ifMatch, CancellationToken cancellationToken);

    Task<Stored<LinkTokenDocument>?> ReadLinkTokenAsync(string id, CancellationToken cancellationToken);

    Task SaveLinkTokenAsync(LinkTokenDocument linkToken, CancellationToken cancellationToken);

    Task<Stored<LinkClaimDocument>?> ReadLinkClaimAsync(string id, CancellationToken cancellationToken);

    /// <summary>Create-only: <see cref="WriteOutcome.Conflict"/> when another request claimed the token first.</summary>
    Task<WriteOutcome> CreateLinkClaimAsync(LinkClaimDocument claim, CancellationToken cancellationToken);

    /// <summary>False when the marker exists: the event was already acted on.</summary>
    Task<bool> TryCreateMarkerAsync(EventMarkerDocument marker, CancellationToken cancellationToken);

    Task DeleteMarkerAsync(string id, CancellationToken cancellationToken);
}
