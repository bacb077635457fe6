using LinkFunctions.Hosting;
using LinkFunctions.Storage;
using static LinkFunctions.Tests.Hosting.OptionsTestPlatforms;

namespace LinkFunctions.Tests.Storage;

public class CosmosOptionsValidatorTests
{
    private const string ConnectionString =
        "AccountEndpoint=https://127.0.0.1:3000/;AccountKey=C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private static readonly Uri Endpoint = new("https://cosmos-links.documents.azure.com:443/");

    private static IReadOnlyList<string> Validate(CosmosOptions options, PlatformInfo? platform = null) =>
        Errors(new CosmosOptionsValidator(platform ?? Local).Validate(null, options));

    [Fact]
    public void Validate_LocalConnectionStringWithCreate_Succeeds()
    {
        Assert.Empty(Validate(new CosmosOptions { ConnectionString = ConnectionString, CreateIfNotExists = true }));
    }

    [Theory]
    [InlineData("WEBSITE_SITE_NAME")]
    [InlineData("WEBSITE_INSTANCE_ID")]
    public void Validate_AzureAccountEndpoint_Succeeds(string by)
    {
        Assert.Empty(Validate(new CosmosOptions { AccountEndpoint = Endpoint }, InAzure(by)));
    }

    [Fact]
    public void Validate_NeitherEndpointNorConnectionString_NamesCosmosAccountEndpoint()
    {
        var errors = Validate(new CosmosOptions());

        Assert.Contains(errors, e => e.StartsWith("Cosmos__AccountEndpoint", StringComparison.Ordinal) && e.Contains("Cosmos__ConnectionString", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_BothEndpointAndConnectionString_IsRefused()
    {
        var errors = Validate(new CosmosOptions { AccountEndpoint = Endpoint, ConnectionString = ConnectionString });

        Assert.Contains(errors, e => e.StartsWith("Cosmos__AccountEndpoint", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("WEBSITE_SITE_NAME")]
    [InlineData("WEBSITE_INSTANCE_ID")]
    public void Validate_ConnectionStringInAzure_IsRefused(string by)
    {
        var errors = Validate(new CosmosOptions { ConnectionString = ConnectionString }, InAzure(by));

        var error = Assert.Single(errors);
        Assert.StartsWith("Cosmos__ConnectionString:", error);
    }

    [Theory]
    [InlineData("WEBSITE_SITE_NAME")]
    [InlineData("WEBSITE_INSTANCE_ID")]
    public void Validate_CreateIfNotExistsInAzure_IsRefused(string by)
    {
        var errors = Validate(new CosmosOptions { AccountEndpoint = Endpoint, CreateIfNotExists = true }, InAzure(by));

        var error = Assert.Single(errors);
        Assert.StartsWith("Cosmos__CreateIfNotExists:", error);
    }

    [Fact]
    public void Validate_ConnectionStringWithoutEndpoint_NamesCosmosConnectionString()
    {
        var errors = Validate(new CosmosOptions { ConnectionString = "AccountKey=abc;" });

        Assert.Contains(errors, e => e.StartsWith("Cosmos__ConnectionString", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ErrorForAMalformedConnectionString_DoesNotEchoTheKey()
    {
        var errors = Validate(new CosmosOptions { ConnectionString = "AccountKey=super-secret-key;" });

        Assert.DoesNotContain(errors, e => e.Contains("super-secret-key", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Validate_EmptyDatabaseName_NamesCosmosDatabaseName(string name)
    {
        var errors = Validate(new CosmosOptions { ConnectionString = ConnectionString, DatabaseName = name });

        Assert.Contains(errors, e => e.StartsWith("Cosmos__DatabaseName", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_PlainHttpEndpointOffLoopback_IsRefused()
    {
        var errors = Validate(new CosmosOptions { AccountEndpoint = new Uri("http://cosmos-links.documents.azure.com/") });

        Assert.Contains(errors, e => e.StartsWith("Cosmos__AccountEndpoint", StringComparison.Ordinal) && e.Contains("https", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_PlainHttpEndpointOnLoopback_IsAccepted()
    {
        Assert.Empty(Validate(new CosmosOptions { AccountEndpoint = new Uri("http://127.0.0.1:8081/") }));
    }
}
