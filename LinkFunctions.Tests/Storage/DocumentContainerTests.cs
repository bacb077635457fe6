using LinkFunctions.Storage;
using LinkFunctions.Tests.TestSupport;

namespace LinkFunctions.Tests.Storage;

/// <summary>The stream-API protocol outcomes against a real Cosmos-protocol server.</summary>
[Collection(CosmosCollection.Name)]
public sealed class DocumentContainerTests(CosmosFixture cosmos)
{
    private static readonly StorageJsonContext Json = StorageJsonContext.Default;

    private static EventMarkerDocument Marker(string id) =>
        new() { Id = id, Type = "message", ExpiresAt = DateTimeOffset.UtcNow.AddDays(2), Ttl = 3600 };

    [Fact]
    public async Task ReadAsync_MissingId_ReturnsNull()
    {
        Assert.Null(await cosmos.Database.Transient.ReadAsync($"missing-{Guid.NewGuid()}", "x", Json.EventMarkerDocument, default));
    }

    [Fact]
    public async Task CreateAsync_ExistingId_Conflict()
    {
        var id = $"event:{Guid.NewGuid():N}";
        var (first, etag) = await cosmos.Database.Transient.CreateAsync(Marker(id), id, Json.EventMarkerDocument, default);
        var (second, _) = await cosmos.Database.Transient.CreateAsync(Marker(id), id, Json.EventMarkerDocument, default);

        Assert.Equal(WriteOutcome.Ok, first);
        Assert.False(string.IsNullOrEmpty(etag));
        Assert.Equal(WriteOutcome.Conflict, second);
    }

    [Fact]
    public async Task ReplaceAsync_StaleETag_PreconditionFailed()
    {
        var id = $"event:{Guid.NewGuid():N}";
        var (_, original) = await cosmos.Database.Transient.CreateAsync(Marker(id), id, Json.EventMarkerDocument, default);
        var (replaced, _) = await cosmos.Database.Transient.ReplaceAsync(Marker(id) with { Type = "follow" }, id, id, original!, Json.EventMarkerDocument, default);

        var (stale, _) = await cosmos.Database.Transient.ReplaceAsync(Marker(id), id, id, original!, Json.EventMarkerDocument, default);

        Assert.Equal(WriteOutcome.Ok, replaced);
        Assert.Equal(WriteOutcome.PreconditionFailed, stale);
        var read = await cosmos.Database.Transient.ReadAsync(id, id, Json.EventMarkerDocument, default);
        Assert.Equal("follow", read?.Document.Type);
    }

    [Fact]
    public async Task DeleteAsync_StaleETagThenCurrent_OnlyCurrentDeletes()
    {
        var id = $"event:{Guid.NewGuid():N}";
        var (_, original) = await cosmos.Database.Transient.CreateAsync(Marker(id), id, Json.EventMarkerDocument, default);
        var (_, current) = await cosmos.Database.Transient.ReplaceAsync(Marker(id), id, id, original!, Json.EventMarkerDocument, default);

        Assert.Equal(WriteOutcome.PreconditionFailed, await cosmos.Database.Transient.DeleteAsync(id, id, original, default));
        Assert.Equal(WriteOutcome.Ok, await cosmos.Database.Transient.DeleteAsync(id, id, current, default));
        Assert.Equal(WriteOutcome.NotFound, await cosmos.Database.Transient.DeleteAsync(id, id, null, default));
    }

    [Fact]
    public async Task CreateIfNotExistsAsync_Containers_HaveExpectedPartitionKeysAndTtl()
    {
        foreach (var spec in CosmosContainers.All)
        {
            var properties = (await cosmos.Client.GetContainer(cosmos.DatabaseName, spec.Name).ReadContainerAsync()).Resource;

            Assert.Equal(spec.PartitionKeyPath, properties.PartitionKeyPath);
            Assert.Equal(spec.DefaultTimeToLive, properties.DefaultTimeToLive);
        }
    }
}
