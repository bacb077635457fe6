using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinkFunctions.Health;

/// <summary>
/// Per dependency <c>ok</c> or <c>failing</c>: names only, never an exception message (SDK messages carry URIs and
/// document ids) and never a secret.
/// </summary>
public sealed record ReadinessReport(string Status, IReadOnlyDictionary<string, string> Dependencies)
{
    public const string Ok = "ok";
    public const string Failing = "failing";

    [JsonIgnore]
    public bool Ready => Status == "ready";

    public static ReadinessReport From(IEnumerable<(string Name, bool Ok)> results)
    {
        var dependencies = results.ToDictionary(r => r.Name, r => r.Ok ? Ok : Failing, StringComparer.Ordinal);
        return new ReadinessReport(dependencies.Values.All(v => v == Ok) ? "ready" : "not-ready", dependencies);
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ReadinessReport))]
public sealed partial class HealthJsonContext : JsonSerializerContext;
