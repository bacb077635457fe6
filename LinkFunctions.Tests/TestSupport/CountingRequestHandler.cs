using System.Collections.Concurrent;
using LinkFunctions.Hosting;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LinkFunctions.Tests.TestSupport;

/// <summary>One Cosmos request the app made: what it did, to which container, and the status it got.</summary>
public sealed record CosmosOperation(string Kind, string Container, int Status)
{
    public override string ToString() => $"{Kind} {Container} {Status}";
}

/// <summary>
/// Counts the app's Cosmos operations inside the real SDK pipeline, for the cost-per-request figures. Only document
/// operations count: the SDK's own metadata reads (account, database, container,
/// partition-key ranges) and query-plan requests are its overhead, cached after the first use, not the app's work.
/// <para>
/// The operation type is not public on <see cref="RequestMessage"/>, so it is told from the address and method: GET
/// of <c>…/docs/{id}</c> is a point read, PUT a replace, PATCH a patch, DELETE a delete; a POST to the container is a
/// query when it carries the query header, an upsert when it carries the upsert header, else a create. Anything
/// else (a GET of the container, of its <c>pkranges</c>, of the database or account) is metadata and not counted. A request refused with 404, 409 or 412 still counts:
/// Cosmos charged for it.
/// </para>
/// </summary>
public sealed class CountingRequestHandler : RequestHandler
{
    public const string Read = "read";
    public const string Create = "create";
    public const string Replace = "replace";
    public const string Upsert = "upsert";
    public const string Delete = "delete";
    public const string Patch = "patch";
    public const string Query = "query";

    private readonly ConcurrentQueue<CosmosOperation> operations = new();

    public IReadOnlyList<CosmosOperation> Operations => [.. operations];

    public int Count => operations.Count;

    public void Reset() => operations.Clear();

    /// <summary>E.g. "read transient 200, create links 201, …", for assertion messages and the docs' table.</summary>
    public string Describe() => string.Join(", ", operations);

    /// <summary>Gives the app a CosmosClient whose every request passes through this handler.</summary>
    public void InstallIn(IServiceCollection services, string connectionString) => services.Replace(ServiceDescriptor.Singleton(_ =>
    {
        var options = StorageExtensions.ClientOptions(local: true);
        options.CustomHandlers.Add(this);
        return new CosmosClient(connectionString, options);
    }));

    public override async Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (Classify(request) is { } operation)
        {
            operations.Enqueue(new CosmosOperation(operation.Kind, operation.Container, (int)response.StatusCode));
        }

        return response;
    }

    /// <summary>The operation a request is, or null for the SDK's own metadata traffic.</summary>
    public static (string Kind, string Container)? Classify(RequestMessage request)
    {
        // Document writes and queries are addressed to the container (dbs/{db}/colls/{name}); reads, replaces, patches
        // and deletes to the document (…/docs/{id}). A GET of the container itself, or of …/pkranges, is metadata.
        var segments = request.RequestUri.OriginalString.Split('?')[0].Trim('/').Split('/');
        var colls = Array.IndexOf(segments, "colls");
        if (colls < 0 || colls + 1 >= segments.Length || IsSet(request, "x-ms-cosmos-is-query-plan-request"))
        {
            return null;
        }

        var container = segments[colls + 1];
        var onContainer = segments.Length == colls + 2;
        var onDocument = segments.Length == colls + 4 && segments[colls + 2] == "docs";
        var kind = request.Method.Method switch
        {
            "POST" when onContainer && (IsSet(request, "x-ms-documentdb-isquery") || IsQueryBody(request)) => Query,
            "POST" when onContainer && IsSet(request, "x-ms-documentdb-is-upsert") => Upsert,
            "POST" when onContainer => Create,
            "GET" when onDocument => Read,
            "PUT" when onDocument => Replace,
            "PATCH" when onDocument => Patch,
            "DELETE" when onDocument => Delete,
            _ => null,
        };
        return kind is null ? null : (kind, container);
    }

    private static bool IsSet(RequestMessage request, string header) =>
        string.Equals(request.Headers[header], "true", StringComparison.OrdinalIgnoreCase);

    private static bool IsQueryBody(RequestMessage request) =>
        request.Headers.ContentType?.StartsWith("application/query+json", StringComparison.OrdinalIgnoreCase) == true;
}
