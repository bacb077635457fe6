namespace LinkFunctions.DevHost;

/// <summary>The dev host's own settings (configuration section <c>DevHost</c>); never an app setting in Azure.</summary>
public sealed class DevHostOptions
{
    public const string Section = "DevHost";

    /// <summary>The key that function-level routes require in <c>x-functions-key</c>, as a host key would be.</summary>
    public string FunctionKey { get; set; } = "";

    /// <summary>The functions.metadata to serve; defaults to the copy the build puts next to the dev host.</summary>
    public string? MetadataPath { get; set; }

    /// <summary>A local.settings.json whose <c>Values</c> configure the app, as <c>func start</c> reads them.</summary>
    public string? LocalSettingsPath { get; set; }
}
