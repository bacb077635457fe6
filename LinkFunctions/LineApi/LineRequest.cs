namespace LinkFunctions.LineApi;

/// <summary>Per-request options the LINE handlers read: a log-safe endpoint name and whether a retry is safe.</summary>
public static class LineRequest
{
    public static readonly HttpRequestOptionsKey<string> Endpoint = new("line.endpoint");

    /// <summary>Set on reply: a reply token is single use and reply takes no retry key, so a retry could send twice.</summary>
    public static readonly HttpRequestOptionsKey<bool> NoRetry = new("line.no-retry");

    public static HttpRequestMessage Create(HttpMethod method, string path, string endpoint, bool retry = true)
    {
        var request = new HttpRequestMessage(method, path);
        request.Options.Set(Endpoint, endpoint);
        if (!retry)
        {
            request.Options.Set(NoRetry, true);
        }

        return request;
    }

    public static string? RequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-line-request-id", out var values) ? values.FirstOrDefault() : null;
}
