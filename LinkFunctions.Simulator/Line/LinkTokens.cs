using System.Collections.Concurrent;

namespace LinkFunctions.Simulator.Line;

/// <summary>Link tokens as LINE issues them: bound to one user, valid 10 minutes, spent by the accountLink dialog.</summary>
public sealed class LinkTokens
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, (string UserId, DateTimeOffset ExpiresAt)> issued = new(StringComparer.Ordinal);

    public string Issue(string userId)
    {
        var token = LineIds.NewToken();
        issued[token] = (userId, DateTimeOffset.UtcNow + Lifetime);
        return token;
    }

    /// <summary>The owner of a live token, without spending it (the dialog page shows who is linking).</summary>
    public string? Owner(string? token) =>
        token is not null && issued.TryGetValue(token, out var entry) && DateTimeOffset.UtcNow < entry.ExpiresAt ? entry.UserId : null;

    /// <summary>Single use: the owner of a live token, which is then gone.</summary>
    public string? Spend(string? token) =>
        token is not null && issued.TryRemove(token, out var entry) && DateTimeOffset.UtcNow < entry.ExpiresAt ? entry.UserId : null;
}
