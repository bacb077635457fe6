using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Hosting;

/// <summary>RFC 9457 problem details with a stable type and title; never echoes secrets or tokens.</summary>
public sealed record Problem(string Type, string Title, int Status, string? Detail);

/// <summary>Status-code mapping in one place, and JSON written with source-generated serialisation.</summary>
public static class HttpResults
{
    public const string ProblemTypeBase = "https://github.com/linkfunctions/problems/";

    public static IActionResult Json<T>(T value, JsonTypeInfo<T> type, int status = StatusCodes.Status200OK) => new ContentResult
    {
        StatusCode = status,
        ContentType = "application/json; charset=utf-8",
        Content = JsonSerializer.Serialize(value, type),
    };

    public static IActionResult Problem(int status, string type, string title, string? detail = null) => new ContentResult
    {
        StatusCode = status,
        ContentType = "application/problem+json; charset=utf-8",
        Content = JsonSerializer.Serialize(new Problem(ProblemTypeBase + type, title, status, detail), ApiJsonContext.Default.Problem),
    };

    public static IActionResult BadRequest(string type, string detail) => Problem(StatusCodes.Status400BadRequest, type, "Bad request", detail);

    public static IActionResult NotFound(string type, string detail) => Problem(StatusCodes.Status404NotFound, type, "Not found", detail);

    public static IActionResult Conflict(string type, string detail) => Problem(StatusCodes.Status409Conflict, type, "Conflict", detail);

    /// <summary>Link tokens and nonces travel in these URLs: no caching, and no Referer to the next site.</summary>
    public static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(Functions.IssueLinkTokenRequest))]
[JsonSerializable(typeof(Functions.IssueLinkTokenResponse))]
[JsonSerializable(typeof(Functions.CreateAccountLinkRedirectRequest))]
[JsonSerializable(typeof(Functions.CreateAccountLinkRedirectResponse))]
[JsonSerializable(typeof(Functions.LinkResponse))]
[JsonSerializable(typeof(Functions.LiffLinkRequest))]
[JsonSerializable(typeof(Functions.HealthResponse))]
[JsonSerializable(typeof(Functions.CreateLineLoginSessionRequest))]
[JsonSerializable(typeof(Functions.CreateLineLoginSessionResponse))]
[JsonSerializable(typeof(Functions.PushToUserRequest))]
[JsonSerializable(typeof(Functions.PushToUserResponse))]
[JsonSerializable(typeof(Functions.LinkHistoryResponse))]
public sealed partial class ApiJsonContext : JsonSerializerContext;

/// <summary>Dependency failures answer 502/503 with a safe detail, never a 500 and never an SDK message.</summary>
public static partial class DependencyFailure
{
    /// <summary>
    /// Every exception a function did not handle itself. The ones we know map to their own problem; anything else
    /// (a malformed LINE answer, a credential failure, a bug) is still a 503, logged at Error by type only, because
    /// the host's 500 would echo nothing useful to the caller and look like an outage of ours to LINE.
    /// </summary>
    public static IActionResult Map(Exception exception, ILogger logger)
    {
        if (TryMap(exception, out var known))
        {
            return known;
        }

        LogUnexpected(logger, SafeError.Describe(exception));
        return HttpResults.Problem(
            StatusCodes.Status503ServiceUnavailable, "dependency-failure", "Dependency unavailable", "A dependency failed unexpectedly; try again.");
    }

    private static bool TryMap(Exception exception, out IActionResult result)
    {
        result = exception switch
        {
            LineApi.LineApiException line => HttpResults.Problem(
                StatusCodes.Status502BadGateway, "line-api-error", "LINE API call failed",
                line.Status is null ? "LINE did not answer." : $"LINE answered {(int)line.Status} (x-line-request-id {line.RequestId ?? "none"})."),
            Storage.StorageException or Microsoft.Azure.Cosmos.CosmosException => HttpResults.Problem(
                StatusCodes.Status503ServiceUnavailable, "storage-unavailable", "Storage unavailable", "Cosmos DB could not complete the request; try again."),
            OperationCanceledException or HttpRequestException or Polly.ExecutionRejectedException => HttpResults.Problem(
                StatusCodes.Status503ServiceUnavailable, "dependency-timeout", "Dependency unavailable", "A dependency did not answer in time; try again."),
            _ => null!,
        };
        return result is not null;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected dependency failure, answered 503: {Detail}")]
    private static partial void LogUnexpected(ILogger logger, string detail);
}
