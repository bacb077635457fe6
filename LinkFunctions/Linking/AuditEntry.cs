using LinkFunctions.Storage;

namespace LinkFunctions.Linking;

/// <summary>
/// The one shape of an audit entry, whoever writes it: in the service user's partition (history is a single-partition
/// read) and with the LINE user only as a salted hash, so no site can store a raw counterpart ID by mistake.
/// </summary>
public static class AuditEntry
{
    /// <param name="key">What makes the entry unique in its partition; a retry of the same change must pass the same key.</param>
    public static AuditDocument For(
        ProviderKey provider, string serviceUserId, string? lineUserId, string key, string action, string method, DateTimeOffset at,
        string? linkId, string? reason = null)
    {
        var lineUser = lineUserId is null ? null : SaltedHash.Of(lineUserId);
        return new AuditDocument
        {
            Key = key,
            Partition = provider.AuditPartition(serviceUserId),
            Action = action,
            Method = method,
            At = at,
            LinkId = linkId,
            LineUserIdHash = lineUser?.Hash,
            HashSalt = lineUser?.Salt,
            Reason = reason,
        };
    }
}
