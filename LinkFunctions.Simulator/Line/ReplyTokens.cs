using System.Collections.Concurrent;

namespace LinkFunctions.Simulator.Line;

/// <summary>Reply tokens: one per event that can be replied to, single use, valid one minute as LINE documents.</summary>
public sealed class ReplyTokens
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (string UserId, DateTimeOffset ExpiresAt)> issued = new(StringComparer.Ordinal);

    public string Issue(string userId)
    {
        var token = LineIds.NewToken(16);
        issued[token] = (userId, DateTimeOffset.UtcNow + Lifetime);
        return token;
    }

    public string? Use(string? token) =>
        token is not null && issued.TryRemove(token, out var entry) && DateTimeOffset.UtcNow < entry.ExpiresAt ? entry.UserId : null;
}
