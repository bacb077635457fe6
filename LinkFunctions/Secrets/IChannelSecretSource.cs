namespace LinkFunctions.Secrets;

/// <summary>Where the Messaging API channel secret lives: Key Vault in Azure, configuration locally.</summary>
public interface IChannelSecretSource
{
    /// <summary>False when refetching cannot yield anything new (a configuration value does not change).</summary>
    bool CanRefetch { get; }

    Task<string> FetchAsync(CancellationToken cancellationToken);
}
