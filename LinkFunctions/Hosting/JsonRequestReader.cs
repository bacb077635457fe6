using System.Text.Json;
using System.Text.Unicode;
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
        WebhookBody? read;
        try
        {
            read = await WebhookBody.ReadAsync(request.Body, request.ContentLength, MaxBytes, request.HttpContext.RequestAborted);
        }
        catch (Exception ex) when (WebhookBody.IsIncomplete(ex, request.HttpContext.RequestAborted))
        {
            // The client stopped sending or went away: its problem, so a 400 rather than the host's 500.
            return (null, HttpResults.BadRequest("incomplete-body", "The request body did not arrive in full."));
        }

        using var body = read;
        if (body is null)
        {
            return (null, HttpResults.Problem(StatusCodes.Status413PayloadTooLarge, "body-too-large", "Payload too large", $"The body exceeds {MaxBytes} bytes."));
        }

        if (body.Length == 0)
        {
            return (null, HttpResults.BadRequest("invalid-json", "The request needs a JSON object body."));
        }

        // The serializer checks UTF-8 only in the values it decodes; a skipped member could carry any bytes.
        if (!Utf8.IsValid(body.Span))
        {
            return (null, HttpResults.BadRequest("invalid-json", "The body is not valid UTF-8."));
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
}
