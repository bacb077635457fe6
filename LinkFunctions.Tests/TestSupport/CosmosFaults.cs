using System.Net;
using LinkFunctions.Hosting;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LinkFunctions.Tests.TestSupport;

/// <summary>How one Cosmos request fails.</summary>
public enum CosmosFault
{
    /// <summary>503 before Cosmos saw the request: nothing was applied.</summary>
    Unavailable,

    /// <summary>Cosmos applied the write, then its answer was lost (a 503 on the way back).</summary>
    AnswerLost,

    /// <summary>
    /// 429 with <c>x-ms-retry-after-ms</c>, before anything was applied. Custom handlers sit above the SDK's retry
    /// handler, so this is what the app sees once the SDK has spent its own (short) rate-limit retries.
    /// </summary>
    Throttled,

    /// <summary>No answer until the caller gives up (the webhook's budget): a timeout; nothing was applied.</summary>
    Stall,

    /// <summary>Applied, then no answer until the caller gives up.</summary>
    StallAfterApply,
}

/// <summary>
/// A Cosmos <see cref="RequestHandler"/> inside the real SDK pipeline that, once armed, numbers every request to the
/// app's containers and fails the chosen one in the chosen way. A clean armed run lists the flow's requests, so that a
/// suite can walk every fault point of it.
/// </summary>
public sealed class CosmosFaults : RequestHandler
{
    private readonly Lock gate = new();
    private readonly List<string> requests = [];
    private bool armed;
    private int failAt;
    private CosmosFault fault;

    /// <summary>What the armed requests were, in order: "GET links line", "POST audit", …</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (gate)
            {
                return [.. requests];
            }
        }
    }

    /// <summary>Starts numbering requests; <paramref name="at"/> (1-based) fails with <paramref name="how"/>, 0 fails none.</summary>
    public void Arm(int at = 0, CosmosFault how = CosmosFault.Unavailable)
    {
        lock (gate)
        {
            requests.Clear();
            (armed, failAt, fault) = (true, at, how);
        }
    }

    public void Disarm()
    {
        lock (gate)
        {
            armed = false;
        }
    }

    /// <summary>Gives the app a CosmosClient whose every request passes through this handler.</summary>
    public void InstallIn(IServiceCollection services, string connectionString) => services.Replace(ServiceDescriptor.Singleton(_ =>
    {
        var options = StorageExtensions.ClientOptions(local: true);
        options.CustomHandlers.Add(this);
        return new CosmosClient(connectionString, options);
    }));

    public static bool IsWrite(string request) => !request.StartsWith("GET", StringComparison.Ordinal);

    /// <summary>
    /// The fault points of a flow whose clean run made <paramref name="requests"/>: 1-based, with a label. A read that
    /// was "applied" is the same as one that was not, so the after-apply kinds walk the writes only.
    /// </summary>
    public static IEnumerable<(int At, string Label)> Points(IReadOnlyList<string> requests, CosmosFault fault) =>
        requests.Select((request, i) => (At: i + 1, Label: $"{fault} at request {i + 1} ({request})"))
            .Where(p => fault is not (CosmosFault.AnswerLost or CosmosFault.StallAfterApply) || IsWrite(requests[p.At - 1]));

    public override async Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        var container = Container(request.RequestUri.OriginalString);
        CosmosFault? inject = null;
        if (container is not null)
        {
            lock (gate)
            {
                if (armed)
                {
                    requests.Add($"{request.Method} {container} {Kind(request, container)}");
                    inject = requests.Count == failAt ? fault : null;
                }
            }
        }

        switch (inject)
        {
            case CosmosFault.Unavailable:
                return new ResponseMessage(HttpStatusCode.ServiceUnavailable, request, "injected: unavailable");
            case CosmosFault.Throttled:
                var throttled = new ResponseMessage(HttpStatusCode.TooManyRequests, request, "injected: throttled");
                throttled.Headers["x-ms-retry-after-ms"] = "100";
                return throttled;
            case CosmosFault.Stall:
                await Task.Delay(Timeout.Infinite, cancellationToken);
                break;
        }

        var response = await base.SendAsync(request, cancellationToken);
        switch (inject)
        {
            case CosmosFault.AnswerLost:
                response.Dispose();
                return new ResponseMessage(HttpStatusCode.ServiceUnavailable, request, "injected: answer lost after the write");
            case CosmosFault.StallAfterApply:
                response.Dispose();
                await Task.Delay(Timeout.Infinite, cancellationToken);
                break;
        }

        return response;
    }

    private static string? Container(string uri) =>
        uri.Contains("colls/links", StringComparison.Ordinal) ? "links"
        : uri.Contains("colls/audit", StringComparison.Ordinal) ? "audit"
        : uri.Contains("colls/transient", StringComparison.Ordinal) ? "transient"
        : null;

    /// <summary>The document kind, from the partition key (<c>["line:pk:U…"]</c>): which half, nonce, marker, state.</summary>
    private static string Kind(RequestMessage request, string container)
    {
        if (container == "audit")
        {
            return "entry";
        }

        var key = request.Headers["x-ms-documentdb-partitionkey"] ?? "";
        var start = key.IndexOf('"', StringComparison.Ordinal) + 1;
        var end = key.IndexOf(':', start);
        return start > 0 && end > start ? key[start..end] : "?";
    }
}
