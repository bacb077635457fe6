using LinkFunctions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace LinkFunctions.Functions;

public sealed record HealthResponse(string Status);

/// <summary>Liveness only: a constant body, no Cosmos or Key Vault call, nothing leaked.</summary>
public sealed class HealthFunction
{
    private static readonly IActionResult Healthy = HttpResults.Json(new HealthResponse("ok"), ApiJsonContext.Default.HealthResponse);

    [Function("Health")]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) => Healthy;
}
