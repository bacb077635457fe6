namespace LinkFunctions.Storage;

public sealed class CosmosLiffIdTokenStore(CosmosDatabase database, ProviderKey provider, TimeProvider time) : ILiffIdTokenStore
{
    /// <summary>The ttl outlives expiresAt a little: cleanup must never come before the token stops being accepted.</summary>
    public static readonly TimeSpan CleanupMargin = TimeSpan.FromMinutes(10);

    private readonly DocumentContainer transient = database.Transient;

    public string Id(string useKey) => $"liffid:{provider.Value}:{useKey}";

    public async Task<bool> TryMarkUsedAsync(string useKey, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var document = new LiffIdTokenDocument
        {
            Id = Id(useKey),
            ExpiresAt = expiresAt,
            Ttl = (int)Math.Max(1, (expiresAt - time.GetUtcNow() + CleanupMargin).TotalSeconds),
        };
        var (outcome, _) = await transient.CreateAsync(document, document.Id, LiffJsonContext.Default.LiffIdTokenDocument, cancellationToken);
        return outcome switch
        {
            WriteOutcome.Ok => true,
            WriteOutcome.Conflict => false,
            _ => throw new StorageException("LIFF ID token mark", 0),
        };
    }

    public Task ForgetAsync(string useKey, CancellationToken cancellationToken) =>
        transient.DeleteAsync(Id(useKey), Id(useKey), ifMatch: null, cancellationToken);
}
