using LinkFunctions.Hosting;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LinkFunctions.Tests.TestSupport;

/// <summary>Makes Cosmos fail on demand, inside the real SDK pipeline, for the "storage fails mid-flow" cases.</summary>
public sealed class FaultInjectionHandler : RequestHandler
{
    /// <summary>Returns true for a request that must fail with 503.</summary>
    public Func<RequestMessage, bool> ShouldFail { get; set; } = _ => false;

    /// <summary>Gives the app a CosmosClient whose every request passes through this handler.</summary>
    public void InstallIn(IServiceCollection services, string connectionString) => services.Replace(ServiceDescriptor.Singleton(_ =>
    {
        var options = StorageExtensions.ClientOptions(local: true);
        options.CustomHandlers.Add(this);
        return new CosmosClient(connectionString, options);
    }));

    public override Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken) =>
        ShouldFail(request)
            ? Task.FromResult(new ResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable, request, "injected fault"))
            : base.SendAsync(request, cancellationToken);
}
