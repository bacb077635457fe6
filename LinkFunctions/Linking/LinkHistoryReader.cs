using System.Buffers.Text;
using System.Text;
using LinkFunctions.Storage;

namespace LinkFunctions.Linking;

/// <summary>One audit entry as the service sees it: the LINE user only as the salted hash and its salt.</summary>
public sealed record HistoryEntry(
    string Action, string Method, DateTimeOffset At, string? LinkId, string? ReplacedBy, string? Cause, string? LineUserIdHash, string? HashSalt);

public sealed record HistoryPage(IReadOnlyList<HistoryEntry> Items, string? ContinuationToken);

/// <summary>
/// A service user's link history, newest first, a page at a time. The continuation token is the base64url of the
/// last id served: ids sort newest first, so the next page is "ids after this one" in the same partition. It holds
/// no user ID, and a token that does not decode to an audit id is refused rather than passed to Cosmos.
/// <para>
/// An unknown user has an empty history, not a 404: erasure removes the history too, and the answer then must not
/// differ from that of a user who never linked (the lookup answers 404 either way, which says no more).
/// </para>
/// </summary>
public sealed class LinkHistoryReader(IAuditHistory history, ProviderKey provider)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static bool TryParseToken(string? token, out string? afterId)
    {
        afterId = null;
        if (token is null)
        {
            return true;
        }

        Span<byte> bytes = stackalloc byte[128];
        if (token.Length > 200 || !Base64Url.IsValid(token) || Base64Url.DecodeFromChars(token, bytes, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        var decoded = Encoding.ASCII.GetString(bytes[..written]);
        if (!ProviderKey.IsAuditId(decoded))
        {
            return false;
        }

        afterId = decoded;
        return true;
    }

    public static string Token(string lastId) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(lastId));

    public async Task<HistoryPage> ReadAsync(string serviceUserId, string? afterId, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);

        // One more than asked tells whether there is a next page without a second query.
        var entries = await history.ReadPageAsync(provider.AuditPartition(serviceUserId), afterId, pageSize + 1, cancellationToken);
        var page = entries.Take(pageSize).ToList();
        var next = entries.Count > pageSize ? Token(page[^1].Id) : null;
        return new HistoryPage([.. page.Select(View)], next);
    }

    private static HistoryEntry View(AuditDocument e) =>
        new(e.Action, e.Method, e.At, e.LinkId, e.ReplacedBy, e.Reason, e.LineUserIdHash, e.HashSalt);
}
