using LinkFunctions.Hosting;
using LinkFunctions.Storage;
using Microsoft.Azure.Cosmos;

namespace LinkFunctions.Tests.Hosting;

public sealed class StorageExtensionsTests
{
    private const string Key = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    [Theory]
    [InlineData("AccountEndpoint=https://localhost:8081/;AccountKey=" + Key, true)]
    [InlineData("AccountEndpoint=https://127.0.0.1:8081/;AccountKey=" + Key, true)]
    [InlineData("AccountEndpoint=http://127.0.0.1:8081/;AccountKey=" + Key, false)]
    [InlineData("AccountEndpoint=https://contoso.documents.azure.com:443/;AccountKey=" + Key, false)]
    [InlineData("AccountKey=" + Key, false)]
    public void IsLoopbackHttps_Endpoint_OnlyLoopbackHttpsExempted(string connectionString, bool expected)
    {
        Assert.Equal(expected, StorageExtensions.IsLoopbackHttps(connectionString));
    }

    [Fact]
    public void CreateClient_RealAccountConnectionString_KeepsCertificateValidation()
    {
        using var client = StorageExtensions.CreateClient(new CosmosOptions { ConnectionString = $"AccountEndpoint=https://contoso.documents.azure.com:443/;AccountKey={Key}" });

        Assert.Null(client.ClientOptions.ServerCertificateCustomValidationCallback);
        Assert.Equal(ConnectionMode.Gateway, client.ClientOptions.ConnectionMode);
        Assert.True(client.ClientOptions.LimitToEndpoint);
    }

    [Fact]
    public void ClientOptions_Always_CapsRateLimitRetriesForTheWebhookBudget()
    {
        var options = StorageExtensions.ClientOptions(local: false);

        Assert.True(options.MaxRetryWaitTimeOnRateLimitedRequests <= TimeSpan.FromSeconds(1));
        Assert.NotNull(options.UseSystemTextJsonSerializerWithOptions);
    }
}
