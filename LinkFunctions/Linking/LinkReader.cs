using LinkFunctions.Storage;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Linking;

public sealed record LinkView(string ServiceUserId, string LineUserId, string Method, DateTimeOffset LinkedAt, string LinkId);

/// <summary>
/// Reads both halves (two point reads). A link is valid only when both exist, point at each other, are linked and
/// share a linkId. A half without a confirming partner answers "not linked" and, once older than the write grace,
/// is deleted with If-Match so that it cannot be mistaken for a link later.
/// </summary>
public sealed partial class LinkReader(ILinkRepository links, ProviderKey provider, TimeProvider time, ILogger<LinkReader> logger)
{
    public Task<LinkView?> FindByLineUserAsync(string lineUserId, CancellationToken cancellationToken) =>
        FindAsync(provider.LineSide(lineUserId), d => provider.UserSide(d.ServiceUserId), cancellationToken);

    public Task<LinkView?> FindByServiceUserAsync(string serviceUserId, CancellationToken cancellationToken) =>
        FindAsync(provider.UserSide(serviceUserId), d => provider.LineSide(d.LineUserId), cancellationToken);

    private async Task<LinkView?> FindAsync(string id, Func<LinkDocument, string> partnerId, CancellationToken cancellationToken)
    {
        var half = await links.ReadAsync(id, cancellationToken);
        if (half is null || !half.Document.IsLinked)
        {
            return null;
        }

        var mine = half.Document;
        var partner = (await links.ReadAsync(partnerId(mine), cancellationToken))?.Document;
        if (partner is { IsLinked: true } && partner.LinkId == mine.LinkId
            && partner.LineUserId == mine.LineUserId && partner.ServiceUserId == mine.ServiceUserId)
        {
            return new LinkView(mine.ServiceUserId, mine.LineUserId, mine.Method, mine.LinkedAt, mine.LinkId);
        }

        if (time.GetUtcNow() - mine.WrittenAt > LinkingPolicy.WriteGrace)
        {
            var outcome = await links.DeleteAsync(id, half.ETag, cancellationToken);
            LogRepaired(logger, LogIds.Hash(id), outcome);
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleted a stale link half {HalfHash} without a confirming partner ({Outcome}).")]
    private static partial void LogRepaired(ILogger logger, string halfHash, WriteOutcome outcome);
}
