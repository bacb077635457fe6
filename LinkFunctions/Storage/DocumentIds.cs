using System.Security.Cryptography;
using System.Text;

namespace LinkFunctions.Storage;

/// <summary>
/// Document ids carry the provider key, so that several channels or providers can share one deployment later
/// with no migration. It defaults to the Messaging API channel ID.
/// </summary>
public sealed record ProviderKey(string Value)
{
    public string LineSide(string lineUserId) => $"line:{Value}:{lineUserId}";

    public string UserSide(string serviceUserId) => $"user:{Value}:{serviceUserId}";

    public string Nonce(string nonce) => $"nonce:{Value}:{nonce}";

    /// <summary>Only a hash of the link token is stored: the token itself is a bearer credential for 10 minutes.</summary>
    public string LinkToken(string linkToken) => $"linktoken:{Value}:{Sha256Hex(linkToken)}";

    /// <summary>Which service user claimed a link token; keyed by the same hash as the token's binding.</summary>
    public string LinkClaim(string linkToken) => $"linkclaim:{Value}:{Sha256Hex(linkToken)}";

    /// <summary>Event keys come from LINE and are not ours to trust as ids, so they are hashed.</summary>
    public string EventMarker(string eventKey) => $"event:{Value}:{Sha256Hex(eventKey)}";

    public string AuditPartition(string serviceUserId) => $"{Value}:{serviceUserId}";

    /// <summary>
    /// Audit ids sort newest first: inverted ticks (19 digits, so string order is time order) and a hash of the entry's
    /// dedupe key, which keeps two entries of the same tick apart. A retry at another time gets another id; the audit
    /// container's unique key on <c>/key</c> is what absorbs it.
    /// </summary>
    public static string AuditId(DateTimeOffset at, string key) => $"{DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks:D19}-{Sha256Hex(key)}";

    /// <summary>True for a string shaped like <see cref="AuditId"/>: what a history continuation token must decode to.</summary>
    public static bool IsAuditId(string? value) =>
        value is { Length: 19 + 1 + 64 } && value[19] == '-' && value.AsSpan(0, 19).IndexOfAnyExceptInRange('0', '9') < 0
        && value.AsSpan(20).IndexOfAnyExcept("0123456789abcdef") < 0;

    public static string Sha256Hex(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
