using Microsoft.AspNetCore.Http;

namespace LinkFunctions.Tests.Proof;

/// <summary>How an error answer must look: RFC 9457 for the API, a static page of our own for the browser callback.</summary>
public enum ErrorBody
{
    Problem,
    Page,
}

/// <summary>
/// One malformed request and the answer the contract names for its class of input. <see cref="Secrets"/> are the
/// values in it that an error body must never echo (signatures, tokens, states, codes, raw IDs).
/// </summary>
public sealed record HostileCase(string Kind, HttpRequest Request, int Expected)
{
    public IReadOnlyDictionary<string, string> RouteValues { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Secrets { get; init; } = [];

    public ErrorBody ErrorBody { get; init; } = ErrorBody.Problem;
}
