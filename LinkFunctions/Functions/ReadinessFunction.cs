using LinkFunctions.Health;
using LinkFunctions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace LinkFunctions.Functions;

/// <summary>
/// Readiness behind a function key: each dependency's state from probes cached for 30 s, 503 while one fails.
/// <c>/api/health</c> stays liveness only.
/// </summary>
public sealed class ReadinessFunction(ReadinessCheck readiness)
{
    [Function("Readiness")]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "health/ready")] HttpRequest request)
    {
        var report = await readiness.CheckAsync(request.HttpContext.RequestAborted);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return HttpResults.Json(report, HealthJsonContext.Default.ReadinessReport,
            report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
