using System.Collections.Concurrent;

namespace LinkFunctions.Simulator.Line;

/// <summary>Tokens LINE issues for one user, valid for a while and spent by their first use.</summary>
public abstract class SingleUseTokens(TimeSpan lifetime, int bytes)
{
    private readonly ConcurrentDictionary<string, (string UserId, DateTimeOffset ExpiresAt)> issued = new(StringComparer.Ordinal);

    public string Issue(string userId)
    {
        var token = LineIds.NewToken(bytes);
        issued[token] = (userId, DateTimeOffset.UtcNow + lifetime);
        return token;
    }

    /// <summary>The owner of a live token, without spending it.</summary>
    public string? Owner(string? token) =>
        token is not null && issued.TryGetValue(token, out var entry) && DateTimeOffset.UtcNow < entry.ExpiresAt ? entry.UserId : null;

    /// <summary>The owner of a live token, which is then gone.</summary>
    public string? Spend(string? token) =>
        token is not null && issued.TryRemove(token, out var entry) && DateTimeOffset.UtcNow < entry.ExpiresAt ? entry.UserId : null;
}
