namespace LinkFunctions.Secrets;

/// <summary>Local runs: a setting such as <c>Line__ChannelSecret</c>, which start-up refuses in Azure.</summary>
public sealed class ConfigurationChannelSecretSource(string? value, string setting) : IChannelSecretSource
{
    public string Name => setting;

    public bool CanRefetch => false;

    public Task<string> FetchAsync(CancellationToken cancellationToken) =>
        Task.FromResult(value ?? throw new InvalidOperationException($"{setting} is not set."));
}
