namespace LinkFunctions.Login;

/// <summary>
/// The LINE Login channel (configuration section <c>LineLogin</c>). Optional: with no <see cref="ChannelId"/> the
/// feature is off and its routes answer 404, so a deployment without LINE Login still starts.
/// </summary>
public sealed class LineLoginOptions
{
    public const string Section = "LineLogin";

    public static readonly IReadOnlyList<string> BotPrompts = ["normal", "aggressive", "none"];

    /// <summary>The LINE Login channel ID: the ID token's <c>aud</c>, and the authorize request's <c>client_id</c>.</summary>
    public string? ChannelId { get; set; }

    /// <summary>Local only: in Azure the secret comes from Key Vault, see <see cref="ChannelSecretName"/>.</summary>
    public string? ChannelSecret { get; set; }

    public string ChannelSecretName { get; set; } = "line-login-channel-secret";

    /// <summary>The redirect_uri registered on the channel; defaults to <c>{Linking__PublicBaseUrl}/api/login/line/callback</c>.</summary>
    public Uri? CallbackUrl { get; set; }

    /// <summary><c>normal</c> or <c>aggressive</c> offers the linked Official Account as a friend; <c>none</c> omits bot_prompt.</summary>
    public string BotPrompt { get; set; } = "normal";

    /// <summary>Local only: the base64 256-bit key that wraps stored LINE Login tokens.</summary>
    public string? TokenKey { get; set; }

    /// <summary>The Key Vault secret that holds the base64 256-bit token-wrapping key.</summary>
    public string TokenKeySecretName { get; set; } = "line-login-token-key";

    public bool Enabled => !string.IsNullOrWhiteSpace(ChannelId);
}
