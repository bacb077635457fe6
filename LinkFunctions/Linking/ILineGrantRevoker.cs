namespace LinkFunctions.Linking;

public enum GrantRevocation
{
    /// <summary>No stored grant (a Messaging API or LIFF link, or already revoked): nothing to do.</summary>
    NoGrant,

    /// <summary>LINE withdrew the consent (or said the token was already dead) and the stored grant is gone.</summary>
    Revoked,

    /// <summary>LINE could not be asked or refused; recorded (audit, metric, Warning) and the grant kept for erasure to retry.</summary>
    Failed,
}

/// <summary>
/// Withdraws the LINE Login consent that a link was made with (<c>POST /user/v1/deauthorize</c>), as LINE requires when
/// a user unlinks or leaves. Never throws for LINE's sake: an unlink or erasure stands whether or not LINE answered.
/// </summary>
public interface ILineGrantRevoker
{
    /// <param name="linkId">Only the grant of this link (unlink); null for whatever grant the LINE user has (erasure).</param>
    Task<GrantRevocation> RevokeAsync(string lineUserId, string? linkId, CancellationToken cancellationToken);

    /// <summary>Whether a link made by <paramref name="method"/> can have a grant: the others skip the grant read on unlink.</summary>
    bool MayHoldGrant(string method);
}
