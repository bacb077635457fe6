using LinkFunctions.Functions;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Tests.Scripts;

/// <summary>
/// scripts/smoke.sh, the newcomer's check of a running app. Its signing is pinned to LINE's published example
/// (so it cannot silently sign wrong), and it runs against the app's own webhook and health functions served
/// over real HTTP, as `func start` would serve them.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class SmokeScriptTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    private const string Script = "scripts/smoke.sh";

    // LINE's Messaging API reference: this secret over {"destination":"U8e742f61d673b39c7fff3cecb7536ef0","events":[]}.
    private const string LineExampleSecret = "8c570fa6dd201bb328f1c1eac23a96d8";
    private const string LineExampleSignature = "GhRKmvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMDLs=";

    [Fact]
    public async Task PrintSignature_LineExampleSecret_MatchesLineKnownAnswer()
    {
        var result = await ScriptProcess.RunAsync(
            Infra.RepoRoot.File(Script), ["--print-signature"], new Dictionary<string, string?> { ["LINE_CHANNEL_SECRET"] = LineExampleSecret });

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(LineExampleSignature, result.Output.Trim());
    }

    [Fact]
    public async Task PrintSignature_SecretOnlyInLocalSettings_ReadsItFromThere()
    {
        var scratch = Directory.CreateTempSubdirectory("smoke-").FullName;
        try
        {
            var script = ScriptProcess.CopyToScratch(scratch, Script);
            await File.WriteAllTextAsync(
                Path.Combine(scratch, "local.settings.json"),
                $$"""{ "IsEncrypted": false, "Values": { "Line__ChannelSecret": "{{LineExampleSecret}}" } }""");

            var result = await ScriptProcess.RunAsync(script, ["--print-signature"], new Dictionary<string, string?>());

            Assert.Equal(0, result.ExitCode);
            Assert.Equal(LineExampleSignature, result.Output.Trim());
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [Fact]
    public async Task Smoke_RunningAppWithSameSecret_PassesAllChecks()
    {
        await using var server = await ServeAsync();

        var result = await ScriptProcess.RunAsync(
            Infra.RepoRoot.File(Script), [server.Url], new Dictionary<string, string?> { ["LINE_CHANNEL_SECRET"] = TestApp.ChannelSecret });

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("/api/health", OutputLine(result, "GET"), StringComparison.Ordinal);
        Assert.EndsWith("-> 200", OutputLine(result, "GET"), StringComparison.Ordinal);
        Assert.EndsWith("-> 200", OutputLine(result, "signed Verify body"), StringComparison.Ordinal);
        Assert.EndsWith("-> 401", OutputLine(result, "wrong signature"), StringComparison.Ordinal);
        Assert.Equal(["GET /api/health", "POST /api/line/webhook", "POST /api/line/webhook"], server.Requests);
    }

    [Fact]
    public async Task Smoke_AppHoldsAnotherSecret_FailsOnTheSignedBody()
    {
        await using var server = await ServeAsync();

        var result = await ScriptProcess.RunAsync(
            Infra.RepoRoot.File(Script), [server.Url], new Dictionary<string, string?> { ["LINE_CHANNEL_SECRET"] = "0123456789abcdef0123456789abcdef" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("FAIL", OutputLine(result, "signed Verify body"), StringComparison.Ordinal);
        Assert.Contains("-> 401 (expected 200)", OutputLine(result, "signed Verify body"), StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdef", result.Output + result.Error, StringComparison.Ordinal);
    }

    private static string OutputLine(ScriptResult result, string marker) =>
        Assert.Single(result.Output.Split('\n'), line => line.Contains(marker, StringComparison.Ordinal)).TrimEnd();

    // The two anonymous functions the script calls, routed as the Functions host routes them (prefix api).
    private async Task<FunctionsServer> ServeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var web = builder.Build();
        var server = new FunctionsServer(web);
        web.Use((context, next) =>
        {
            server.Record($"{context.Request.Method} {context.Request.Path}");
            return next(context);
        });
        web.MapGet("/api/health", context => Answer(context, App.Function<HealthFunction>().Run(context.Request)));
        web.MapPost("/api/line/webhook", async context => await Answer(context, await App.Function<LineWebhookFunction>().Run(context.Request)));
        await web.StartAsync();
        return server;
    }

    private static Task Answer(HttpContext context, Microsoft.AspNetCore.Mvc.IActionResult result)
    {
        context.Response.StatusCode = HttpRequests.Status(result);
        return Task.CompletedTask;
    }

    private sealed class FunctionsServer(WebApplication web) : IAsyncDisposable
    {
        private readonly List<string> requests = [];

        public string Url => web.Urls.First();

        public IReadOnlyList<string> Requests
        {
            get
            {
                lock (requests)
                {
                    return [.. requests];
                }
            }
        }

        public void Record(string request)
        {
            lock (requests)
            {
                requests.Add(request);
            }
        }

        public async ValueTask DisposeAsync() => await web.DisposeAsync();
    }
}
