using System.Net;
using System.Text;

namespace LinkFunctions.Tests.LineApi;

/// <summary>One request as the fake LINE Platform saw it, captured before the client disposes it.</summary>
internal sealed record RecordedRequest(
    HttpMethod Method, string Path, string? Authorization, IReadOnlyDictionary<string, string> Headers, string? Body, bool NoRetry);

/// <summary>
/// A stand-in for api.line.me: the token endpoint issues "t1", "t2", … and the Messaging API endpoints answer 200,
/// unless a test overrides an endpoint with <see cref="Respond"/>.
/// </summary>
internal sealed class FakeLineHandler : HttpMessageHandler
{
    public const string TokenPath = "/oauth2/v3/token";

    private readonly object gate = new();
    private readonly Dictionary<string, Func<RecordedRequest, HttpResponseMessage>> overrides = new(StringComparer.Ordinal);
    private int tokensIssued;

    public List<RecordedRequest> Requests { get; } = [];

    public string LinkToken { get; set; } = "NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY";

    public int ExpiresIn { get; set; } = 900;

    public int TokenRequests => RequestsTo(TokenPath).Count;

    public IReadOnlyList<RecordedRequest> RequestsTo(string path)
    {
        lock (gate)
        {
            return Requests.Where(r => r.Path == path).ToList();
        }
    }

    /// <summary>Answers every request whose path ends with <paramref name="pathSuffix"/> with the given function.</summary>
    public void Respond(string pathSuffix, Func<RecordedRequest, HttpResponseMessage> respond)
    {
        lock (gate)
        {
            overrides[pathSuffix] = respond;
        }
    }

    public static HttpResponseMessage Json(HttpStatusCode status, string json, string? requestId = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (requestId is not null)
        {
            response.Headers.Add("x-line-request-id", requestId);
        }

        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var noRetry = request.Options.TryGetValue(LinkFunctions.LineApi.LineRequest.NoRetry, out var flag) && flag;
        var recorded = new RecordedRequest(request.Method, path, request.Headers.Authorization?.ToString(), headers, body, noRetry);
        Func<RecordedRequest, HttpResponseMessage>? respond;
        lock (gate)
        {
            Requests.Add(recorded);
            respond = overrides.FirstOrDefault(o => path.EndsWith(o.Key, StringComparison.Ordinal)).Value;
        }

        if (respond is not null)
        {
            return respond(recorded);
        }

        if (path == TokenPath)
        {
            var token = $"t{Interlocked.Increment(ref tokensIssued)}";
            return Json(HttpStatusCode.OK, $$"""{"access_token":"{{token}}","expires_in":{{ExpiresIn}},"token_type":"Bearer"}""");
        }

        if (path.EndsWith("/linkToken", StringComparison.Ordinal))
        {
            return Json(HttpStatusCode.OK, $$"""{"linkToken":"{{LinkToken}}"}""", "req-link-token");
        }

        return Json(HttpStatusCode.OK, "{}", "req-ok");
    }
}
