namespace LinkFunctions.Storage;

/// <summary>Single use of LIFF ID tokens, in the <c>transient</c> container.</summary>
public interface ILiffIdTokenStore
{
    /// <summary>False when the token was used before.</summary>
    Task<bool> TryMarkUsedAsync(string useKey, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Undoes a mark whose link could not be written, so that the user's retry is not refused as a replay.</summary>
    Task ForgetAsync(string useKey, CancellationToken cancellationToken);
}
