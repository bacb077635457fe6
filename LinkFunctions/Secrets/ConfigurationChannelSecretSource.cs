using LinkFunctions.Hosting;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Secrets;

/// <summary>Local runs: <c>Line__ChannelSecret</c>, which start-up refuses in Azure.</summary>
public sealed class ConfigurationChannelSecretSource(IOptions<LineOptions> options) : IChannelSecretSource
{
    public bool CanRefetch => false;

    public Task<string> FetchAsync(CancellationToken cancellationToken) =>
        Task.FromResult(options.Value.ChannelSecret ?? throw new InvalidOperationException("Line__ChannelSecret is not set."));
}
