using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace LinkFunctions.Functions;

/// <summary>Liveness only: a constant body, no dependency calls, nothing leaked.</summary>
public sealed class HealthFunction
{
    [Function("Health")]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
        => new OkObjectResult(new HealthResponse("ok"));
}

public sealed record HealthResponse(string Status);
