using System.Security.Cryptography;
using System.Text;
using LinkFunctions.Hosting;
using LinkFunctions.LineApi;
using LinkFunctions.Notifications;
using LinkFunctions.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Linking;

/// <summary>
/// Releases the leftover half of a link that a relink displaced, and leaves a trace first: a <c>replaced</c> audit
/// entry in the old link's service-user partition and, when <c>Linking__NotifyReplaced</c> is on, a push to the LINE
/// user who lost the link. Both come before the delete and are idempotent (a create-only id and a LINE retry key
/// derived from the two linkIds), so a crash in between repeats them rather than skipping them. The writer releases
/// after its commit; the reader releases what a writer that never came back left behind.
/// </summary>
public sealed partial class ReplacedLinkNotifier(
    IAuditLog audit, LineMessagingClient line, ProviderKey provider, TimeProvider time, IOptions<LinkingOptions> options,
    ILogger<ReplacedLinkNotifier> logger, LinkMetrics? metrics = null, LinkChangeRecorder? changes = null)
{
    public const string Action = "replaced";

    /// <param name="replaced">The old link, as one of its halves held it.</param>
    /// <param name="by">The relink that displaced it.</param>
    /// <param name="delete">Deletes the leftover half with If-Match.</param>
    public async Task<WriteOutcome> ReleaseAsync(
        LinkDocument replaced, LinkRequest by, Func<Task<WriteOutcome>> delete, CancellationToken cancellationToken)
    {
        await NotifyAsync(replaced, by, cancellationToken);
        var outcome = await delete();
        if (outcome == WriteOutcome.Ok)
        {
            var displaced = replaced.LineUserId == by.LineUserId ? "service-user" : "line-user";
            metrics?.LinkReplaced(by.Method, displaced);
            LogReplaced(logger, LogIds.Hash(replaced.LinkId), displaced);
        }

        return outcome;
    }

    private async Task NotifyAsync(LinkDocument replaced, LinkRequest by, CancellationToken cancellationToken)
    {
        var reason = replaced.LineUserId == by.LineUserId
            ? "the LINE user linked another service account"
            : "the service account linked another LINE user";
        await audit.AppendAsync(
            AuditEntry.For(
                provider, replaced.ServiceUserId, replaced.LineUserId, $"{Action}:{ProviderKey.Sha256Hex(replaced.LinkId + ":" + by.LinkId)}",
                Action, by.Method, time.GetUtcNow(), replaced.LinkId, reason) with { ReplacedBy = by.LinkId },
            cancellationToken);

        if (changes is not null)
        {
            await changes.RecordReplacedAsync(replaced, by, cancellationToken);
        }

        // Only a LINE user who lost the link is told; the one who relinked chose it.
        if (!options.Value.NotifyReplaced || replaced.LineUserId == by.LineUserId)
        {
            return;
        }

        try
        {
            await line.PushAsync(replaced.LineUserId, LinkMessages.Replaced, RetryKey(replaced.LinkId, by.LinkId), cancellationToken);
        }
        catch (Exception ex) when (ex is LineApiException or HttpRequestException or OperationCanceledException)
        {
            // The relink stands either way; a lost notice is not worth failing it for.
            LogPushFailed(logger, LogIds.Hash(replaced.LineUserId), SafeError.Describe(ex));
        }
    }

    /// <summary>The same pair of links always gives the same key, so LINE answers a repeated push with 409, not a second message.</summary>
    public static Guid RetryKey(string replacedLinkId, string byLinkId)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"replaced-push:{replacedLinkId}:{byLinkId}")).AsSpan(0, 16).ToArray();
        // Shaped as a version-4 UUID: LINE asks for a UUID in hexadecimal form.
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Link {LinkHash} was replaced by a relink; the displaced {Displaced} half was released.")]
    private static partial void LogReplaced(ILogger logger, string linkHash, string displaced);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell LINE user {LineUserHash} that their link was replaced: {Detail}")]
    private static partial void LogPushFailed(ILogger logger, string lineUserHash, string detail);
}
