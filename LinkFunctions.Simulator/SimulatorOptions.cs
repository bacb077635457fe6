namespace LinkFunctions.Simulator;

/// <summary>
/// The simulator's settings (section <c>Simulator</c>). The defaults are throwaway development values that
/// scripts/run-local.sh --simulator also gives the app, so both sides agree with no set-up.
/// </summary>
public sealed class SimulatorOptions
{
    public const string Section = "Simulator";

    /// <summary>Where the browser and the app reach the simulator: LINE's API and pages, and "your service".</summary>
    public Uri PublicUrl { get; set; } = new("http://localhost:7080");

    /// <summary>Where the app runs: webhooks go to <c>{AppBaseUrl}/api/line/webhook</c>.</summary>
    public Uri AppBaseUrl { get; set; } = new("http://localhost:7071");

    /// <summary>The key "your service" sends in x-functions-key; <c>func start</c> ignores keys, the dev host checks it.</summary>
    public string FunctionKey { get; set; } = "local-simulator-function-key";

    public string ChannelId { get; set; } = "1234567890";

    /// <summary>The Messaging API channel secret: signs webhooks, and is the stateless token's client_secret.</summary>
    public string ChannelSecret { get; set; } = "simulator-messaging-channel-secret";

    public string LoginChannelId { get; set; } = "2000000001";

    /// <summary>LINE Login's client_secret and the HS256 key of its ID tokens.</summary>
    public string LoginChannelSecret { get; set; } = "simulator-login-channel-secret-32";

    /// <summary>The LINE Login channel hosting the LIFF app: the aud of LIFF ID tokens.</summary>
    public string LiffChannelId { get; set; } = "2000000001";

    /// <summary>The key of the app's link notifications (X-LinkFunctions-Signature), as Linking__NotifySecret.</summary>
    public string NotifySecret { get; set; } = "simulator-link-notify-secret";
}
