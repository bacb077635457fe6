using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using LinkFunctions.Functions;
using LinkFunctions.Tests.EndToEnd;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace LinkFunctions.Tests.Proof;

/// <summary>What one load-run request carries: one event of one kind.</summary>
public enum LoadEventKind
{
    /// <summary>An event the app does not act on: a plain text or a sticker message. Costs no Cosmos operation.</summary>
    Ignored,

    /// <summary>The link keyword in a 1:1 chat: marker, link token, reply.</summary>
    Keyword,

    /// <summary>A new friend: link lookup, marker, link token, reply.</summary>
    Follow,

    /// <summary>The accountLink of a prepared nonce: a fresh link and a reply.</summary>
    AccountLink,
}

/// <summary>Figures of one load run: every request's latency inside the function, and the rate over the whole run.</summary>
public sealed record LoadFigures(
    int Requests, int Concurrency, IReadOnlyDictionary<LoadEventKind, int> Mix, IReadOnlyDictionary<int, int> Statuses,
    TimeSpan Elapsed, double P50Ms, double P99Ms, double MaxMs, IReadOnlyDictionary<LoadEventKind, (double P50Ms, double P99Ms)> ByKind)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"""
        requests: {Requests} at concurrency {Concurrency}; mix: {string.Join(", ", Mix.Select(m => $"{m.Key} {m.Value}"))}
        statuses: {string.Join(", ", Statuses.Select(s => $"{s.Key} x{s.Value}"))}
        elapsed: {Elapsed.TotalSeconds:F2} s; rate: {RequestsPerSecond:F0} requests/s
        latency: p50 {P50Ms:F2} ms, p99 {P99Ms:F2} ms, max {MaxMs:F1} ms
        by kind (p50 / p99 ms): {string.Join("; ", ByKind.Select(k => $"{k.Key} {k.Value.P50Ms:F2} / {k.Value.P99Ms:F2}"))}
        """);
}

/// <summary>
/// The in-process webhook path under a stated event mix, against the local Cosmos server and the LINE fake: signed
/// bodies of one event each, built before the clock starts, sent by <c>concurrency</c> callers through the real
/// function. The accountLink nonces are prepared beforehand through the keyword and the nonce redirect, as a user
/// would, so each accountLink is a fresh link.
/// </summary>
public sealed class WebhookLoadRun(TestApp app, LineFake line)
{
    /// <summary>Per 100 requests: 90 ignored, 5 keyword, 4 follow, 1 accountLink.</summary>
    public static readonly IReadOnlyList<(LoadEventKind Kind, int PerHundred)> DefaultMix =
        [(LoadEventKind.Ignored, 90), (LoadEventKind.Keyword, 5), (LoadEventKind.Follow, 4), (LoadEventKind.AccountLink, 1)];

    private LinkingFlow Flow => new(app, line);

    public sealed record Planned(LoadEventKind Kind, string LineUserId, string Body);

    /// <summary>The requests of a run, in a seeded random order so that the kinds interleave.</summary>
    public async Task<List<Planned>> PlanAsync(int requests, int seed = 9)
    {
        var plan = new List<Planned>(requests);
        for (var i = 0; i < requests; i++)
        {
            var kind = KindAt(i % 100);
            var lineUserId = WebhookBodies.NewLineUserId();
            plan.Add(new Planned(kind, lineUserId, kind switch
            {
                LoadEventKind.Ignored => WebhookBodies.Body(i % 2 == 0 ? WebhookBodies.TextMessage(lineUserId, "hello there") : Sticker(lineUserId)),
                LoadEventKind.Keyword => WebhookBodies.Body(WebhookBodies.TextMessage(lineUserId, "link")),
                LoadEventKind.Follow => WebhookBodies.Body(Follow(lineUserId)),
                _ => WebhookBodies.Body(WebhookBodies.AccountLink(
                    lineUserId, await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(lineUserId), $"load-{Guid.NewGuid():N}"))),
            }));
        }

        var random = new Random(seed);
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(plan));
        return plan;
    }

    public async Task<LoadFigures> RunAsync(IReadOnlyList<Planned> plan, int concurrency)
    {
        var requests = plan.Select(p => HttpRequests.SignedWebhook(p.Body)).ToArray();
        var latencies = new double[requests.Length];
        var statuses = new ConcurrentDictionary<int, int>();
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < requests.Length; i = Interlocked.Increment(ref next))
            {
                var sent = Stopwatch.GetTimestamp();
                var status = HttpRequests.Status(await Send(requests[i]));
                latencies[i] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(started);

        var byKind = plan.Select((p, i) => (p.Kind, Ms: latencies[i])).GroupBy(x => x.Kind).OrderBy(g => g.Key).ToDictionary(
            g => g.Key,
            g =>
            {
                var sorted = g.Select(x => x.Ms).Order().ToArray();
                return (Percentile(sorted, 0.50), Percentile(sorted, 0.99));
            });
        Array.Sort(latencies);
        return new LoadFigures(
            requests.Length, concurrency, plan.GroupBy(p => p.Kind).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            new SortedDictionary<int, int>(statuses), elapsed, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies[^1], byKind);
    }

    private Task<Microsoft.AspNetCore.Mvc.IActionResult> Send(HttpRequest request) => app.Function<LineWebhookFunction>().Run(request);

    private static LoadEventKind KindAt(int slot)
    {
        foreach (var (kind, perHundred) in DefaultMix)
        {
            if (slot < perHundred)
            {
                return kind;
            }

            slot -= perHundred;
        }

        throw new ArgumentOutOfRangeException(nameof(slot));
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];

    /// <summary>A new friend's follow (not an unblock).</summary>
    public static Dictionary<string, object?> Follow(string lineUserId) => new()
    {
        ["type"] = "follow", ["mode"] = "active", ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        ["source"] = new { type = "user", userId = lineUserId }, ["webhookEventId"] = WebhookBodies.NewEventId(),
        ["replyToken"] = Guid.NewGuid().ToString("N"), ["deliveryContext"] = new { isRedelivery = false }, ["follow"] = new { isUnblocked = false },
    };

    private static Dictionary<string, object?> Sticker(string lineUserId) => new()
    {
        ["type"] = "message", ["mode"] = "active", ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        ["source"] = new { type = "user", userId = lineUserId }, ["webhookEventId"] = WebhookBodies.NewEventId(),
        ["replyToken"] = Guid.NewGuid().ToString("N"), ["deliveryContext"] = new { isRedelivery = false },
        ["message"] = new { id = "444573844083572738", type = "sticker", packageId = "446", stickerId = "1988", stickerResourceType = "STATIC" },
    };
}
