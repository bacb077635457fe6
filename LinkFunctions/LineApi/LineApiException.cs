using System.Net;

namespace LinkFunctions.LineApi;

/// <summary>A LINE API call failed; carries LINE's request id for support, never a token.</summary>
public sealed class LineApiException(string endpoint, HttpStatusCode? status, string? requestId, Exception? inner = null)
    : Exception($"LINE {endpoint} failed with {(status is null ? "no response" : ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture))} (x-line-request-id {requestId ?? "none"}).", inner)
{
    public HttpStatusCode? Status { get; } = status;

    public string? RequestId { get; } = requestId;
}
