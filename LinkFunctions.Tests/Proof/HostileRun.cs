using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using LinkFunctions.Hosting;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.Mvc;

namespace LinkFunctions.Tests.Proof;

/// <summary>What a run saw: every answer by status and by route/kind, and each case that broke the contract.</summary>
public sealed record HostileReport(int Seed, int Cases, TimeSpan Elapsed, IReadOnlyDictionary<int, int> Statuses,
    IReadOnlyDictionary<string, int> Kinds, IReadOnlyList<string> Failures)
{
    public string Summary() =>
        $"hostile input: {Cases} cases, seed {Seed}, {Elapsed.TotalSeconds:F1} s; statuses "
        + string.Join(", ", Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")) + $"; {Failures.Count} failures";
}

/// <summary>
/// Runs N hostile cases round-robin over the route table. Case i of seed s is built from <c>new Junk(Mix(s, i))</c>
/// alone, so <c>HOSTILE_SEED=s HOSTILE_ONLY=i</c> rebuilds exactly that request.
/// </summary>
public static class HostileRun
{
    public static int Mix(int seed, int index) => HashCode.Combine(seed, index);

    public static async Task<HostileReport> RunAsync(HostileContext context, int seed, int cases, int parallelism, int? only = null)
    {
        var routes = RouteTable.All;
        var statuses = new ConcurrentDictionary<int, int>();
        var kinds = new ConcurrentDictionary<string, int>();
        var failures = new ConcurrentQueue<string>();
        var started = Stopwatch.GetTimestamp();
        var indexes = only is { } single ? [single] : Enumerable.Range(0, cases);
        await Parallel.ForEachAsync(indexes, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (index, _) =>
        {
            var route = routes[index % routes.Count];
            var (status, kind, failure) = await RunOneAsync(context, route, new Junk(Mix(seed, index)));
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            kinds.AddOrUpdate($"{route.Function} {kind} {status}", 1, (_, n) => n + 1);
            if (failure is not null)
            {
                failures.Enqueue($"case {index} (HOSTILE_SEED={seed} HOSTILE_ONLY={index}) {route.Function} [{kind}]: {failure}");
            }
        });
        return new HostileReport(seed, indexes.Count(), Stopwatch.GetElapsedTime(started), statuses, kinds, [.. failures]);
    }

    private static async Task<(int Status, string Kind, string? Failure)> RunOneAsync(HostileContext context, AppRoute route, Junk junk)
    {
        if (!HostileProfiles.All.TryGetValue(route.Function, out var profile))
        {
            return (0, "no-profile", "no hostile profile");
        }

        HostileCase hostile;
        try
        {
            hostile = await profile(junk, context);
        }
        catch (Exception ex)
        {
            return (0, "setup", "setting the case up threw " + ex);
        }

        IActionResult result;
        try
        {
            result = await route.InvokeAsync(context.App, hostile.Request, hostile.RouteValues);
        }
        catch (Exception ex)
        {
            return (500, hostile.Kind, "unhandled " + (ex.InnerException ?? ex));
        }

        var status = HttpRequests.Status(result);
        return (status, hostile.Kind, Check(hostile, result, status));
    }

    /// <summary>The contract for one answer: the named status, and an error body of the right kind that echoes no input secret.</summary>
    public static string? Check(HostileCase hostile, IActionResult result, int status)
    {
        if (status != hostile.Expected)
        {
            return $"answered {status}, the contract says {hostile.Expected}: {(result as ContentResult)?.Content}";
        }

        if (status < 400)
        {
            return null;
        }

        if (result is not ContentResult { Content: { } body } content)
        {
            return $"error {status} without a body";
        }

        var leaked = hostile.Secrets.Where(s => s.Length >= 8).FirstOrDefault(s =>
            body.Contains(s, StringComparison.Ordinal) || body.Contains(Uri.EscapeDataString(s), StringComparison.Ordinal)
            || body.Contains(JsonSerializer.Serialize(s)[1..^1], StringComparison.Ordinal));
        if (leaked is not null)
        {
            return $"the error body echoes the input value {leaked}: {body}";
        }

        return hostile.ErrorBody == ErrorBody.Page
            ? (content.ContentType?.StartsWith("text/html", StringComparison.Ordinal) == true ? null : $"the page is {content.ContentType}")
            : ProblemIssue(content.ContentType, body, status);
    }

    private static string? ProblemIssue(string? contentType, string body, int status)
    {
        if (contentType?.StartsWith("application/problem+json", StringComparison.Ordinal) != true)
        {
            return $"error {status} is {contentType}, not problem+json";
        }

        using var problem = JsonDocument.Parse(body);
        var root = problem.RootElement;
        return root.GetProperty("status").GetInt32() == status && root.GetProperty("type").GetString()!.StartsWith(HttpResults.ProblemTypeBase, StringComparison.Ordinal)
            && root.GetProperty("title").GetString() is { Length: > 0 }
            ? null
            : $"malformed problem: {body}";
    }
}
