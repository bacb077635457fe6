using LinkFunctions.Hosting;
using LinkFunctions.Storage;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Tests.TestSupport;

/// <summary>
/// One Cosmos-protocol server for the whole run: the local server that the test command starts, or the official
/// emulator or a real account when <c>LINKFUNCTIONS_TEST_COSMOS</c> holds its connection string. Each fixture gets
/// its own database, deleted at the end.
/// </summary>
public sealed class CosmosFixture : IAsyncLifetime
{
    public const string ConnectionVariable = "LINKFUNCTIONS_TEST_COSMOS";

    /// <summary>The public emulator key; the local server accepts any key.</summary>
    public const string LocalConnectionString =
        "AccountEndpoint=http://127.0.0.1:8081/;AccountKey=C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    public string ConnectionString { get; } = Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } configured
        ? configured
        : LocalConnectionString;

    public string DatabaseName { get; } = $"test-{Guid.NewGuid():N}";

    public CosmosClient Client { get; private set; } = null!;

    public CosmosDatabase Database { get; private set; } = null!;

    public CosmosOptions Options => new() { ConnectionString = ConnectionString, DatabaseName = DatabaseName };

    public async Task InitializeAsync()
    {
        Client = StorageExtensions.CreateClient(Options);
        Database = new CosmosDatabase(Client, Microsoft.Extensions.Options.Options.Create(Options));
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await Database.CreateIfNotExistsAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or CosmosException)
        {
            throw new InvalidOperationException(
                $"No Cosmos server answered. Run the tests with scripts/test.sh (it starts the local server), or set {ConnectionVariable} to an emulator or account connection string.",
                ex);
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            await Client.GetDatabase(DatabaseName).DeleteAsync();
        }
        catch (CosmosException)
        {
            // Best effort: the local server's data dies with the process anyway.
        }

        Client.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class CosmosCollection : ICollectionFixture<CosmosFixture>
{
    public const string Name = "cosmos";
}
