using LinkFunctions.Storage;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Linking;

public sealed record LinkView(string ServiceUserId, string LineUserId, string Method, DateTimeOffset LinkedAt, string LinkId);

/// <summary>
/// Reads both halves (two point reads). A link is valid only when both exist, point at each other, are linked and
/// share a linkId. A relink that has not been confirmed yet leaves a write-ahead record (<see cref="LinkDocument.Replaces"/>),
/// and until its second half is written the link it replaces is still served, at one more read. Any other half
/// without a confirming partner answers "not linked" and, once older than the write grace, is deleted with If-Match
/// so that it cannot be mistaken for a link later.
/// </summary>
public sealed partial class LinkReader(
    ILinkRepository links, ProviderKey provider, TimeProvider time, ILogger<LinkReader> logger, ReplacedLinkNotifier? notifier = null)
{
    public Task<LinkView?> FindByLineUserAsync(string lineUserId, CancellationToken cancellationToken) =>
        FindAsync(provider.LineSide(lineUserId), cancellationToken);

    public Task<LinkView?> FindByServiceUserAsync(string serviceUserId, CancellationToken cancellationToken) =>
        FindAsync(provider.UserSide(serviceUserId), cancellationToken);

    private async Task<LinkView?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var half = await links.ReadAsync(id, cancellationToken);
        if (half is null || !half.Document.IsLinked)
        {
            return null;
        }

        var mine = half.Document;
        var partner = await ReadPartnerAsync(mine, cancellationToken);
        if (mine.Confirms(partner))
        {
            return View(mine);
        }

        var displacedBy = (LinkDocument?)null;
        if (partner is { IsLinked: true } && partner.Displaced(mine))
        {
            // A relink has taken our partner over. Until its own second half confirms it, our link still holds.
            if (!partner.Committed(await ReadPartnerAsync(partner, cancellationToken)))
            {
                return View(mine);
            }

            // It committed, and its writer did not come back to release us: do it, with the writer's trace.
            displacedBy = partner;
        }
        else if (mine.Replaces is { State: LinkStates.Linked } old)
        {
            // We are the first half of a relink whose second half is not written yet: the link we replaced holds
            // while its old partner still confirms it. Deleting us would lose the only record of that link.
            if (old.Confirms(await ReadPartnerAsync(old, cancellationToken)))
            {
                return View(old);
            }
        }

        if (time.GetUtcNow() - mine.WrittenAt > LinkingPolicy.WriteGrace)
        {
            Task<WriteOutcome> Delete() => links.DeleteAsync(id, half.ETag, cancellationToken);
            var outcome = displacedBy is not null && notifier is not null
                ? await notifier.ReleaseAsync(mine, LinkRequest.Of(displacedBy), Delete, cancellationToken)
                : await Delete();
            LogRepaired(logger, LogIds.Hash(id), outcome);
        }

        return null;
    }

    private async Task<LinkDocument?> ReadPartnerAsync(LinkDocument half, CancellationToken cancellationToken) =>
        (await links.ReadAsync(PartnerId(provider, half), cancellationToken))?.Document;

    /// <summary>The id of the half that <paramref name="half"/> points at.</summary>
    internal static string PartnerId(ProviderKey provider, LinkDocument half) =>
        half.Id == provider.LineSide(half.LineUserId) ? provider.UserSide(half.ServiceUserId) : provider.LineSide(half.LineUserId);

    private static LinkView View(LinkDocument half) => new(half.ServiceUserId, half.LineUserId, half.Method, half.LinkedAt, half.LinkId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleted a stale link half {HalfHash} without a confirming partner ({Outcome}).")]
    private static partial void LogRepaired(ILogger logger, string halfHash, WriteOutcome outcome);
}
