using System.Net;
using LinkFunctions.Health;
using LinkFunctions.Secrets;
using LinkFunctions.Storage;
using LinkFunctions.Tests.LineApi;
using LinkFunctions.Tests.Secrets;
using LinkFunctions.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LinkFunctions.Tests.Health;

[Collection(CosmosCollection.Name)]
public class DependencyProbesTests(CosmosFixture cosmos)
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Cosmos_ContainersExist_Passes()
    {
        await DependencyProbes.Cosmos(cosmos.Client, cosmos.DatabaseName).RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Cosmos_DatabaseMissing_Throws()
    {
        var probe = DependencyProbes.Cosmos(cosmos.Client, $"missing-{Guid.NewGuid():N}");

        var ex = await Assert.ThrowsAsync<StorageException>(() => probe.RunAsync(CancellationToken.None));

        Assert.Equal((int)HttpStatusCode.NotFound, ex.Status);
    }

    [Fact]
    public async Task ChannelSecret_HeldAndVaultNowDown_Passes()
    {
        var source = new FakeChannelSecretSource("secret");
        var secrets = new ChannelSecretCache(source, time, NullLogger<ChannelSecretCache>.Instance);
        await secrets.GetAsync(CancellationToken.None);
        source.Failure = new Azure.RequestFailedException(503, "down");
        time.Advance(TimeSpan.FromHours(1));

        await DependencyProbes.ChannelSecret(secrets).RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ChannelSecret_NoneHeldAndVaultDown_Throws()
    {
        var secrets = new ChannelSecretCache(
            new FakeChannelSecretSource { Failure = new Azure.RequestFailedException(503, "down") }, time, NullLogger<ChannelSecretCache>.Instance);

        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => DependencyProbes.ChannelSecret(secrets).RunAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ChannelToken_LineIssuesOne_Passes()
    {
        var line = new LineTestClients(time);

        await DependencyProbes.ChannelToken(line.Tokens).RunAsync(CancellationToken.None);

        Assert.Equal(1, line.Handler.TokenRequests);
    }

    [Fact]
    public async Task ChannelToken_LineRefuses_Throws()
    {
        var handler = new FakeLineHandler();
        handler.Respond(FakeLineHandler.TokenPath, _ => FakeLineHandler.Json(HttpStatusCode.InternalServerError, "{}"));
        var line = new LineTestClients(time, handler);

        await Assert.ThrowsAsync<LinkFunctions.LineApi.LineApiException>(() => DependencyProbes.ChannelToken(line.Tokens).RunAsync(CancellationToken.None));
    }
}
