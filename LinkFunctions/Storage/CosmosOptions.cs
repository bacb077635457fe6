namespace LinkFunctions.Storage;

/// <summary>Cosmos DB for NoSQL (configuration section <c>Cosmos</c>).</summary>
public sealed class CosmosOptions
{
    public const string Section = "Cosmos";

    /// <summary>Azure: the account endpoint, reached with managed identity.</summary>
    public Uri? AccountEndpoint { get; set; }

    /// <summary>Local only: a key-based connection string for the local server or the emulator.</summary>
    public string? ConnectionString { get; set; }

    public string DatabaseName { get; set; } = "linking";

    /// <summary>Local only: under data-plane RBAC the app cannot create containers; Bicep declares them.</summary>
    public bool CreateIfNotExists { get; set; }
}
