namespace LinkFunctions.Liff;

/// <summary>LIFF linking (configuration section <c>Liff</c>); unset <see cref="ChannelId"/> switches it off.</summary>
public sealed class LiffOptions
{
    public const string Section = "Liff";

    /// <summary>
    /// The LINE Login channel that hosts the LIFF app: its ID is the ID token's <c>aud</c>. Not the LIFF ID
    /// (<c>{channelId}-{suffix}</c>), which is never an audience.
    /// </summary>
    public string? ChannelId { get; set; }

    /// <summary>
    /// AppService mode: comma-separated exact https origins, besides this app's own, that may call the signed-in
    /// route cross-origin. Never a wildcard.
    /// </summary>
    public string? AllowedOrigins { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ChannelId);

    public IReadOnlyList<string> AllowedOriginList =>
        (AllowedOrigins ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
