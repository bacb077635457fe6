using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Tests.TestSupport;

/// <summary>A request the fake received, with what the assertions need.</summary>
public sealed record LineCall(string Method, string Path, string? Authorization, string? RetryKey, string Body);

/// <summary>
/// A fake LINE Platform served by Kestrel on loopback: the app's real HttpClient, resilience pipeline and handlers
/// talk to it over real HTTP. It implements just the endpoints the linking flow calls.
/// </summary>
public sealed partial class LineFake : IAsyncDisposable
{
    public const string AccessToken = "fake-stateless-token";

    private readonly WebApplication app;
    private readonly ConcurrentQueue<LineCall> calls = new();
    private int linkTokenCounter;

    private LineFake(WebApplication app) => this.app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<LineCall> Calls => [.. calls];

    /// <summary>Decides a forced status for a call (e.g. 500 on reply); null lets the fake answer normally.</summary>
    public Func<LineCall, HttpStatusCode?>? Intercept { get; set; }

    /// <summary>When set and returning a body, the call is answered 200 with exactly that (junk) JSON.</summary>
    public Func<LineCall, string?>? RawAnswer { get; set; }

    /// <summary>Delay added to every answer, for time-budget tests.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>A stall for chosen calls only (e.g. the reply endpoint), on top of <see cref="Delay"/>.</summary>
    public Func<LineCall, TimeSpan>? StallFor { get; set; }

    public IReadOnlyList<LineCall> CallsTo(string pathPart) => [.. calls.Where(c => c.Path.Contains(pathPart, StringComparison.Ordinal))];

    public static async Task<LineFake> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new LineFake(app);
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            using var reader = new StreamReader(context.Request.Body, leaveOpen: true);
            var body = await reader.ReadToEndAsync();
            context.Request.Body.Position = 0;
            var call = new LineCall(
                context.Request.Method, context.Request.Path.Value ?? "", context.Request.Headers.Authorization.FirstOrDefault(),
                context.Request.Headers["X-Line-Retry-Key"].FirstOrDefault(), body);
            fake.calls.Enqueue(call);
            context.Response.Headers["x-line-request-id"] = Guid.NewGuid().ToString("N");
            var delay = fake.Delay + (fake.StallFor?.Invoke(call) ?? TimeSpan.Zero);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay);
            }

            if (fake.RawAnswer?.Invoke(call) is { } raw)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(raw);
                return;
            }

            if (fake.Intercept?.Invoke(call) is { } forced)
            {
                context.Response.StatusCode = (int)forced;
                await context.Response.WriteAsJsonAsync(new { message = "forced failure" });
                return;
            }

            await next(context);
        });
        app.MapPost("/oauth2/v3/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            return form["grant_type"] == "client_credentials" && fake.ChannelTokenFor(form["client_id"], form["client_secret"]) is { } token
                ? Results.Json(new Dictionary<string, object> { ["token_type"] = "Bearer", ["access_token"] = token, ["expires_in"] = 900 })
                : Results.Json(new { error = "invalid_request", error_description = "Invalid 'client_credentials'." }, statusCode: 400);
        });
        app.MapPost("/v2/bot/user/{userId}/linkToken", (HttpRequest request, string userId) =>
            Authorized(request)
                ? Results.Json(new { linkToken = $"LinkToken{Interlocked.Increment(ref fake.linkTokenCounter):D8}{userId[1..9]}" })
                : Results.Json(new { message = "Authentication failed" }, statusCode: 401));
        app.MapPost("/v2/bot/message/reply", (HttpRequest request) =>
            Authorized(request) ? Results.Json(new { sentMessages = Array.Empty<object>() }) : Results.StatusCode(401));
        fake.MapPush(app);
        fake.MapLiff(app);
        fake.MapLineLogin(app);
        fake.MapDeauthorize(app);
        await app.StartAsync();
        fake.BaseUrl = new Uri(app.Urls.First());
        return fake;
    }

    public static string? ReplyText(LineCall call)
    {
        using var doc = JsonDocument.Parse(call.Body);
        return doc.RootElement.GetProperty("messages")[0].GetProperty("text").GetString();
    }

    public void Clear() => calls.Clear();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Liff.Dispose();
    }

    private static bool Authorized(HttpRequest request) => request.Headers.Authorization == $"Bearer {AccessToken}";
}
