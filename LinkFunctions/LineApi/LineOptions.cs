namespace LinkFunctions.LineApi;

/// <summary>The Messaging API channel (configuration section <c>Line</c>).</summary>
public sealed class LineOptions
{
    public const string Section = "Line";

    public string ChannelId { get; set; } = "";

    /// <summary>Local only: in Azure the secret comes from Key Vault, see <see cref="ChannelSecretName"/>.</summary>
    public string? ChannelSecret { get; set; }

    public string ChannelSecretName { get; set; } = "line-channel-secret";

    public Uri ApiBaseUrl { get; set; } = new("https://api.line.me");

    public Uri AccessBaseUrl { get; set; } = new("https://access.line.me");
}
