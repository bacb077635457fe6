using System.Collections.Concurrent;

namespace LinkFunctions.Simulator;

/// <summary>
/// One exchange between the app and the simulator: a webhook the simulator sent (with the app's answer and how long
/// it took), or a LINE API call the app made.
/// </summary>
public sealed record InspectorEntry(
    long Id, string Kind, string Summary, string Method, string Path, int? Status, double Milliseconds, string RequestBody, string ResponseBody,
    DateTimeOffset At);

/// <summary>What the inspector panel lists, newest last; bounded so that a long session does not grow without end.</summary>
public sealed class Inspector
{
    public const int Capacity = 500;

    private readonly ConcurrentQueue<InspectorEntry> entries = new();
    private long nextId;

    public IReadOnlyList<InspectorEntry> Entries(long after = 0) => [.. entries.Where(e => e.Id > after)];

    public InspectorEntry? Find(long id) => entries.FirstOrDefault(e => e.Id == id);

    public InspectorEntry Record(string kind, string summary, string method, string path, int? status, double milliseconds, string requestBody, string responseBody)
    {
        var entry = new InspectorEntry(Interlocked.Increment(ref nextId), kind, summary, method, path, status, milliseconds, requestBody, responseBody, DateTimeOffset.UtcNow);
        entries.Enqueue(entry);
        while (entries.Count > Capacity && entries.TryDequeue(out _))
        {
        }

        return entry;
    }
}
