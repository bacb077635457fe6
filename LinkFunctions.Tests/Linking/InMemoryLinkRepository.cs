using LinkFunctions.Storage;

namespace LinkFunctions.Tests.Linking;

/// <summary>
/// The links container's protocol in memory: create-only (409 on an existing id), replace and delete with
/// If-Match (412 on a stale ETag, 404 when gone), and a new ETag on every write.
/// </summary>
internal sealed class InMemoryLinkRepository : ILinkRepository
{
    private readonly object gate = new();
    private readonly Dictionary<string, Stored<LinkDocument>> documents = new(StringComparer.Ordinal);
    private int nextETag;

    /// <summary>A create answered 409: a request, but no write (the writer's blind create of a taken id).</summary>
    public const string RefusedCreate = "create refused ";

    /// <summary>Every call in order, e.g. "read line:1:U…", "create user:1:alice", "replace …", "delete …".</summary>
    public List<string> Calls { get; } = [];

    /// <summary>Called with each entry as it is added to <see cref="Calls"/>, to interleave with other fakes.</summary>
    public Action<string>? OnCall { get; set; }

    /// <summary>The calls that changed or tried to change a document; a refused create changed nothing.</summary>
    public int Writes => Calls.Count(c => !c.StartsWith("read ", StringComparison.Ordinal) && !c.StartsWith(RefusedCreate, StringComparison.Ordinal));

    public Stored<LinkDocument>? Get(string id)
    {
        lock (gate)
        {
            return documents.GetValueOrDefault(id);
        }
    }

    /// <summary>Every stored document, for asserting that nothing dangles.</summary>
    public IReadOnlyList<LinkDocument> Documents
    {
        get
        {
            lock (gate)
            {
                return documents.Values.Select(d => d.Document).ToList();
            }
        }
    }

    /// <summary>Puts a document in place without recording a call, as if it had been written earlier.</summary>
    public Stored<LinkDocument> Seed(LinkDocument document)
    {
        lock (gate)
        {
            var stored = new Stored<LinkDocument>(document, NewETag());
            documents[document.Id] = stored;
            return stored;
        }
    }

    public Task<Stored<LinkDocument>?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            Record($"read {id}");
            return Task.FromResult(documents.GetValueOrDefault(id));
        }
    }

    public Task<(WriteOutcome Outcome, string? ETag)> CreateAsync(LinkDocument document, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var taken = documents.ContainsKey(document.Id);
            Record(taken ? RefusedCreate + document.Id : $"create {document.Id}");
            if (taken)
            {
                return Task.FromResult<(WriteOutcome, string?)>((WriteOutcome.Conflict, null));
            }

            var stored = new Stored<LinkDocument>(document, NewETag());
            documents[document.Id] = stored;
            return Task.FromResult<(WriteOutcome, string?)>((WriteOutcome.Ok, stored.ETag));
        }
    }

    public Task<(WriteOutcome Outcome, string? ETag)> ReplaceAsync(LinkDocument document, string ifMatch, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            Record($"replace {document.Id}");
            if (!documents.TryGetValue(document.Id, out var existing))
            {
                return Task.FromResult<(WriteOutcome, string?)>((WriteOutcome.NotFound, null));
            }

            if (existing.ETag != ifMatch)
            {
                return Task.FromResult<(WriteOutcome, string?)>((WriteOutcome.PreconditionFailed, null));
            }

            var stored = new Stored<LinkDocument>(document, NewETag());
            documents[document.Id] = stored;
            return Task.FromResult<(WriteOutcome, string?)>((WriteOutcome.Ok, stored.ETag));
        }
    }

    public Task<WriteOutcome> DeleteAsync(string id, string ifMatch, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            Record($"delete {id}");
            if (!documents.TryGetValue(id, out var existing))
            {
                return Task.FromResult(WriteOutcome.NotFound);
            }

            if (existing.ETag != ifMatch)
            {
                return Task.FromResult(WriteOutcome.PreconditionFailed);
            }

            documents.Remove(id);
            return Task.FromResult(WriteOutcome.Ok);
        }
    }

    private void Record(string call)
    {
        Calls.Add(call);
        OnCall?.Invoke(call);
    }

    private string NewETag() => $"\"etag-{++nextETag}\"";
}
