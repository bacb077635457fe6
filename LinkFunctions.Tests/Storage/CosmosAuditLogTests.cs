using LinkFunctions.Storage;
using LinkFunctions.Tests.TestSupport;

namespace LinkFunctions.Tests.Storage;

/// <summary>The audit container through the real SDK against the local server: unique keys, key-set pages, erasure.</summary>
[Collection(CosmosCollection.Name)]
public sealed class CosmosAuditLogTests(CosmosFixture cosmos)
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly CosmosAuditLog log = new(cosmos.Database);
    private readonly string partition = $"1234567890:user-{Guid.NewGuid():N}";

    private AuditDocument Entry(string key, int minute) => new()
    {
        Key = key, Partition = partition, Action = "linked", Method = "messaging-api", At = Start.AddMinutes(minute),
    };

    [Fact]
    public async Task AppendAsync_SameKeyAtALaterTime_AbsorbedByTheUniqueKey()
    {
        await log.AppendAsync(Entry("unlinked:a", 1), default);
        await log.AppendAsync(Entry("unlinked:a", 2), default);

        var entry = Assert.Single(await log.ReadPageAsync(partition, null, 10, default));
        Assert.Equal(Start.AddMinutes(1), entry.At);
    }

    [Fact]
    public async Task ReadPageAsync_AfterAnId_NewestFirstFromThere()
    {
        foreach (var minute in new[] { 3, 1, 4, 2, 5 })
        {
            await log.AppendAsync(Entry($"k{minute}", minute), default);
        }

        var first = await log.ReadPageAsync(partition, null, 2, default);
        var rest = await log.ReadPageAsync(partition, first[^1].Id, 10, default);

        Assert.Equal([5, 4], first.Select(e => e.At.Minute));
        Assert.Equal([3, 2, 1], rest.Select(e => e.At.Minute));
    }

    [Fact]
    public async Task DeletePartitionAsync_Twice_RemovesOnlyThatPartition()
    {
        var other = new CosmosAuditLogTests(cosmos);
        await log.AppendAsync(Entry("a", 1), default);
        await log.AppendAsync(Entry("b", 2), default);
        await other.log.AppendAsync(other.Entry("a", 1), default);

        Assert.Equal(2, await log.DeletePartitionAsync(partition, default));
        Assert.Equal(0, await log.DeletePartitionAsync(partition, default));

        Assert.Empty(await log.ReadPageAsync(partition, null, 10, default));
        Assert.Single(await other.log.ReadPageAsync(other.partition, null, 10, default));
    }

    [Fact]
    public void AuditId_LaterTime_SortsFirst()
    {
        var older = ProviderKey.AuditId(Start, "k");
        var newer = ProviderKey.AuditId(Start.AddTicks(1), "k");

        Assert.True(string.CompareOrdinal(newer, older) < 0);
        Assert.True(ProviderKey.IsAuditId(newer));
        Assert.False(ProviderKey.IsAuditId(newer.ToUpperInvariant().Replace('-', '_')));
    }
}
