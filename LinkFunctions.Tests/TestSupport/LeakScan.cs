namespace LinkFunctions.Tests.TestSupport;

/// <summary>Looks for a flow's secrets, tokens and raw IDs in what would be written to logs or telemetry.</summary>
public static class LeakScan
{
    /// <summary>Fails naming each secret found and the first text that holds it (also URL-encoded forms).</summary>
    public static void AssertAbsent(IEnumerable<string> texts, IReadOnlyDictionary<string, string> secrets)
    {
        var all = texts.ToList();
        Assert.NotEmpty(all);
        var leaks = secrets
            .SelectMany(secret => new[] { secret.Value, Uri.EscapeDataString(secret.Value) }.Distinct()
                .Select(form => (secret.Key, Text: all.FirstOrDefault(text => text.Contains(form, StringComparison.OrdinalIgnoreCase)))))
            .Where(found => found.Text is not null)
            .Select(found => $"{found.Key} in: {found.Text}")
            .ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }

    /// <summary>The secrets every flow has: the channel's credentials.</summary>
    public static Dictionary<string, string> ChannelSecrets() => new()
    {
        ["channel secret"] = TestApp.ChannelSecret,
        ["channel access token"] = LineFake.AccessToken,
    };
}
