using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Simulator.Service;

/// <summary>What the app answered "your service"'s backend: the status and the JSON body, if any.</summary>
public sealed record AppAnswer(int Status, JsonNode? Body)
{
    /// <summary>Relaxed escaping for display only: the pages HTML-encode it, and "+00:00" stays readable.</summary>
    private static readonly System.Text.Json.JsonSerializerOptions Display = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string? Text(string property) => Body?[property]?.GetValue<string>();

    public string Json() => Body?.ToJsonString(Display) ?? "";
}

/// <summary>"Your service"'s backend calling the app with its function key (Delegated mode), as README's contract says.</summary>
public sealed class AppClient(HttpClient http, IOptions<SimulatorOptions> options)
{
    public const string KeyHeader = "x-functions-key";

    public Task<AppAnswer> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<AppAnswer> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    public Task<AppAnswer> PostAsync(string path, object body) => SendAsync(HttpMethod.Post, path, body);

    private async Task<AppAnswer> SendAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(options.Value.AppBaseUrl, path));
        request.Headers.Add(KeyHeader, options.Value.FunctionKey);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        try
        {
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return new AppAnswer((int)response.StatusCode, text.Length == 0 ? null : TryParse(text));
        }
        catch (HttpRequestException)
        {
            return new AppAnswer(StatusCodes.Status502BadGateway, new JsonObject { ["detail"] = $"The app did not answer at {options.Value.AppBaseUrl}." });
        }
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
