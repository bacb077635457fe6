using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LinkFunctions.Webhook;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace LinkFunctions.Hosting;

/// <summary>Reads a small JSON request body (capped at 64 KiB while streaming) or says what is wrong with it.</summary>
public static class JsonRequestReader
{
    public const int MaxBytes = 64 * 1024;

    public static async Task<(T? Value, IActionResult? Error)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type)
        where T : class
    {
        var (body, incomplete) = await ReadBodyAsync(request);
        using var owned = body;
        if (incomplete)
        {
            return (null, HttpResults.BadRequest("incomplete-body", "The request body ended before it was complete."));
        }

        if (body is null)
        {
            return (null, HttpResults.Problem(StatusCodes.Status413PayloadTooLarge, "body-too-large", "Payload too large", $"The body exceeds {MaxBytes} bytes."));
        }

        if (body.Length == 0)
        {
            return (null, HttpResults.BadRequest("invalid-json", "The request needs a JSON object body."));
        }

        try
        {
            var value = JsonSerializer.Deserialize(body.Span, type);
            return value is null
                ? (null, HttpResults.BadRequest("invalid-json", "The request needs a JSON object body."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            // The path names the offending property; the message never echoes the value.
            return (null, HttpResults.BadRequest("invalid-json", $"The body is not the expected JSON (at {ex.Path ?? "$"})."));
        }
    }

    /// <summary>
    /// A client that goes away mid-body (Kestrel throws an IOException, or the abort token fires) gets a 400 it will
    /// never read, rather than a 500 that would count as our failure.
    /// </summary>
    private static async Task<(WebhookBody? Body, bool Incomplete)> ReadBodyAsync(HttpRequest request)
    {
        try
        {
            return (await WebhookBody.ReadAsync(request.Body, request.ContentLength, MaxBytes, request.HttpContext.RequestAborted), false);
        }
        catch (Exception ex) when (ex is IOException || (ex is OperationCanceledException && request.HttpContext.RequestAborted.IsCancellationRequested))
        {
            return (null, true);
        }
    }
}
