using System.Text.Json.Nodes;

namespace LinkFunctions.DevHost;

/// <summary>
/// local.settings.json's <c>Values</c>, as <c>func start</c> applies them: <c>Section__Key</c> names, and below
/// environment variables, which win.
/// </summary>
public static class LocalSettings
{
    public static IReadOnlyDictionary<string, string?> Read(string path)
    {
        var values = JsonNode.Parse(File.ReadAllText(path))?["Values"]?.AsObject()
            ?? throw new InvalidOperationException($"{path} has no Values object.");
        return values.ToDictionary(v => v.Key.Replace("__", ":", StringComparison.Ordinal), v => v.Value?.ToString(), StringComparer.OrdinalIgnoreCase);
    }
}
