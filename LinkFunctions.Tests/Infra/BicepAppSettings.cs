namespace LinkFunctions.Tests.Infra;

/// <summary>The function app's settings as declared in Bicep: the one <c>var appSettings = { … }</c> under infra/.</summary>
internal static class BicepAppSettings
{
    public const string VariableName = "appSettings";

    /// <summary>Platform settings the app does not bind itself, by exact name.</summary>
    public static readonly IReadOnlySet<string> PlatformNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "AZURE_CLIENT_ID",
        "OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID",
    };

    /// <summary>Platform settings the app does not bind itself, by prefix.</summary>
    public static readonly IReadOnlyList<string> PlatformPrefixes = ["AzureWebJobsStorage__", "APPLICATIONINSIGHTS_"];

    public static bool IsPlatform(string key) =>
        PlatformNames.Contains(key) || PlatformPrefixes.Any(prefix => key.StartsWith(prefix, StringComparison.Ordinal));

    public static IReadOnlyList<string> Keys()
    {
        var declarations = BicepSource.InfraFiles()
            .Select(file => (File: file, Literal: BicepSource.Load(file).Variable(VariableName)))
            .Where(d => d.Literal is not null)
            .ToList();
        var declaration = Assert.Single(declarations);
        return declaration.Literal!.Properties().Select(p => p.Key).ToList();
    }
}
