using LinkFunctions.Storage;
using LinkFunctions.Webhook;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Linking;

public enum AccountLinkOutcome
{
    /// <summary>This delivery consumed the nonce: it, and only it, replies.</summary>
    Linked,

    /// <summary>A redelivery or concurrent copy of an event that was already handled: no reply.</summary>
    Duplicate,

    /// <summary>Not linked: failed result, unknown/expired/used nonce, or the wrong LINE user.</summary>
    Rejected,

    /// <summary>A newer link already holds one side; the nonce is spent and nothing changed.</summary>
    Superseded,
}

/// <summary>
/// The accountLink event under the nonce lifecycle: the nonce is read first and consumed last by a conditional
/// write, so no nonce is ever consumed without its link, and a failure in between leaves it pending for LINE's
/// redelivery. A fresh link costs 5 operations (nonce read, 2 link creates, audit, nonce replace); a duplicate costs 1.
/// </summary>
public sealed partial class AccountLinkService(
    ITransientRepository transient, LinkWriter writer, IAuditLog audit, ProviderKey provider, TimeProvider time,
    ILogger<AccountLinkService> logger)
{
    public const string Method = "messaging-api";

    public async Task<AccountLinkOutcome> HandleAsync(WebhookEvent e, CancellationToken cancellationToken)
    {
        if (!Identifiers.IsNonce(e.LinkNonce))
        {
            // We issued no such nonce, so there is nothing to look up or to mark.
            LogRejected(logger, "malformed or foreign nonce", LogIds.Hash(e.SourceUserId));
            return AccountLinkOutcome.Rejected;
        }

        var nonce = e.LinkNonce!;
        var eventKey = e.WebhookEventId ?? $"{nonce}:{e.Timestamp}";
        var stored = await transient.ReadNonceAsync(provider.Nonce(nonce), cancellationToken);
        if (stored is null || time.GetUtcNow() - stored.Document.ExpiresAt > LinkingPolicy.DedupeWindow)
        {
            LogRejected(logger, "unknown nonce", LogIds.Hash(e.SourceUserId));
            return AccountLinkOutcome.Rejected;
        }

        var doc = stored.Document;
        if (doc.Status == NonceStates.Consumed && doc.ConsumedByEventId == eventKey)
        {
            return AccountLinkOutcome.Duplicate;
        }

        if (doc.Status != NonceStates.Pending)
        {
            return await RejectAsync(stored, eventKey, $"nonce already {doc.Status}", markFailed: false, cancellationToken);
        }

        if (!string.Equals(e.LinkResult, "ok", StringComparison.Ordinal))
        {
            return await RejectAsync(stored, eventKey, "LINE reported the link as failed", markFailed: true, cancellationToken);
        }

        var eventTime = e.Timestamp is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : time.GetUtcNow();
        if (eventTime > doc.ExpiresAt)
        {
            return await RejectAsync(stored, eventKey, "nonce expired before the event", markFailed: true, cancellationToken);
        }

        if (!string.Equals(e.SourceUserId, doc.ExpectedLineUserId, StringComparison.Ordinal))
        {
            // LINE checks that the visitor owns the link token, not that the nonce belongs to it.
            return await RejectAsync(stored, eventKey, "nonce presented by another LINE user", markFailed: true, cancellationToken);
        }

        var linkId = ProviderKey.Sha256Hex(nonce);
        var written = await writer.WriteAsync(
            new LinkRequest(doc.ExpectedLineUserId, doc.ServiceUserId, linkId, eventTime.ToUnixTimeMilliseconds(), Method, eventTime),
            cancellationToken);
        await audit.AppendAsync(Audit(doc, eventKey, written == LinkWriteResult.Linked ? "linked" : "superseded", linkId, null), cancellationToken);

        var consumed = doc with { Status = NonceStates.Consumed, ConsumedByEventId = eventKey };
        if (await transient.ReplaceNonceAsync(consumed, stored.ETag, cancellationToken) != WriteOutcome.Ok)
        {
            // Another delivery of this event consumed it first, and that one replies.
            return AccountLinkOutcome.Duplicate;
        }

        LogLinked(logger, LogIds.Hash(doc.ServiceUserId), LogIds.Hash(doc.ExpectedLineUserId), written);
        return written == LinkWriteResult.Linked ? AccountLinkOutcome.Linked : AccountLinkOutcome.Superseded;
    }

    private async Task<AccountLinkOutcome> RejectAsync(
        Stored<NonceDocument> stored, string eventKey, string reason, bool markFailed, CancellationToken cancellationToken)
    {
        LogRejected(logger, reason, LogIds.Hash(stored.Document.ExpectedLineUserId));
        await audit.AppendAsync(Audit(stored.Document, eventKey, "failed", null, reason), cancellationToken);
        if (markFailed)
        {
            // A 412 means a concurrent delivery already decided; either way the nonce is no longer pending.
            await transient.ReplaceNonceAsync(stored.Document with { Status = NonceStates.Failed, ConsumedByEventId = eventKey }, stored.ETag, cancellationToken);
        }

        return AccountLinkOutcome.Rejected;
    }

    private AuditDocument Audit(NonceDocument nonce, string eventKey, string action, string? linkId, string? reason)
    {
        // The key is derived from the event, so a redelivery writes the same key and the create is absorbed.
        return AuditEntry.For(
            provider, nonce.ServiceUserId, nonce.ExpectedLineUserId, $"accountlink:{ProviderKey.Sha256Hex(eventKey)}:{action}", action, Method,
            time.GetUtcNow(), linkId, reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "accountLink not linked: {Reason} (LINE user {LineUserHash}).")]
    private static partial void LogRejected(ILogger logger, string reason, string lineUserHash);

    [LoggerMessage(Level = LogLevel.Information, Message = "accountLink for service user {ServiceUserHash} and LINE user {LineUserHash}: {Result}.")]
    private static partial void LogLinked(ILogger logger, string serviceUserHash, string lineUserHash, LinkWriteResult result);
}
