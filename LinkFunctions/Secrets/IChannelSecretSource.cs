namespace LinkFunctions.Secrets;

/// <summary>Where a channel secret lives: Key Vault in Azure, configuration locally.</summary>
public interface IChannelSecretSource
{
    /// <summary>The Key Vault secret name or the setting, for logs; never the value.</summary>
    string Name { get; }

    /// <summary>False when refetching cannot yield anything new (a configuration value does not change).</summary>
    bool CanRefetch { get; }

    Task<string> FetchAsync(CancellationToken cancellationToken);
}
