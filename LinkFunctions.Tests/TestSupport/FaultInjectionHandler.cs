using Microsoft.Azure.Cosmos;

namespace LinkFunctions.Tests.TestSupport;

/// <summary>Makes Cosmos fail on demand, inside the real SDK pipeline, for the "storage fails mid-flow" cases.</summary>
public sealed class FaultInjectionHandler : RequestHandler
{
    /// <summary>Returns true for a request that must fail with 503.</summary>
    public Func<RequestMessage, bool> ShouldFail { get; set; } = _ => false;

    public override Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken) =>
        ShouldFail(request)
            ? Task.FromResult(new ResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable, request, "injected fault"))
            : base.SendAsync(request, cancellationToken);
}
