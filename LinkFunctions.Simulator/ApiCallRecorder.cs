using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace LinkFunctions.Simulator;

/// <summary>
/// Records every call the app makes to the simulated LINE API for the inspector: method, path, status, latency and
/// bodies. Client secrets and PKCE verifiers are masked even here, so that a screenshot of the panel leaks nothing.
/// </summary>
public sealed partial class ApiCallRecorder(RequestDelegate next, Inspector inspector)
{
    private static readonly string[] LinePaths = ["/v2/", "/oauth2/v3/", "/oauth2/v2.1/token", "/oauth2/v2.1/verify", "/oauth2/v2.1/certs", "/user/v1/"];

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (!LinePaths.Any(p => path.StartsWith(p, StringComparison.Ordinal)))
        {
            await next(context);
            return;
        }

        context.Request.EnableBuffering();
        var requestBody = await new StreamReader(context.Request.Body, leaveOpen: true).ReadToEndAsync();
        context.Request.Body.Position = 0;
        context.Response.Headers["x-line-request-id"] = Guid.NewGuid().ToString("N");
        var original = context.Response.Body;
        using var captured = new MemoryStream();
        context.Response.Body = captured;
        var clock = Stopwatch.StartNew();
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
            captured.Position = 0;
            var responseBody = await new StreamReader(captured).ReadToEndAsync();
            captured.Position = 0;
            await captured.CopyToAsync(original);
            inspector.Record(
                "api", $"{context.Request.Method} {path}", context.Request.Method, path, context.Response.StatusCode, clock.Elapsed.TotalMilliseconds,
                Mask(requestBody), responseBody);
        }
    }

    public static string Mask(string body) => Secrets().Replace(body, m => m.Groups[1].Value + "=***");

    [GeneratedRegex("(client_secret|code_verifier)=[^&]*")]
    private static partial Regex Secrets();
}
