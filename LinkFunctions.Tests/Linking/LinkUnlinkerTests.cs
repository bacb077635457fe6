using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LinkFunctions.Tests.Linking;

public sealed class LinkUnlinkerTests : IDisposable
{
    private const string L1 = "U11111111111111111111111111111111";
    private const string L2 = "U22222222222222222222222222222222";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly ProviderKey provider = new("1234567890");
    private readonly InMemoryLinkRepository links = new();
    private readonly InMemoryAuditLog audit = new();
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MetricCollector<long> outcomes;

    public LinkUnlinkerTests()
    {
        var meters = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        Metrics = new LinkMetrics(meters);
        outcomes = new MetricCollector<long>(meters, LinkMetrics.MeterName, "linkfunctions.links.outcomes");
    }

    private LinkMetrics Metrics { get; }

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private LinkReader Reader => new(links, provider, time, NullLogger<LinkReader>.Instance);

    private LinkWriter Writer => new(links, provider, time, NullLogger<LinkWriter>.Instance);

    private LinkUnlinker Unlinker => new(links, Reader, audit, provider, time, NullLogger<LinkUnlinker>.Instance, Metrics);

    public void Dispose()
    {
        outcomes.Dispose();
        services.Dispose();
    }

    private LinkDocument Half(string id, string line, string user, string linkId, long version) => new()
    {
        Id = id, LineUserId = line, ServiceUserId = user, LinkId = linkId, Version = version, State = LinkStates.Linked,
        Method = "messaging-api", LinkedAt = DateTimeOffset.FromUnixTimeMilliseconds(version), WrittenAt = time.GetUtcNow() - TimeSpan.FromDays(1),
    };

    private void SeedLink(string line, string user, string linkId, long version)
    {
        links.Seed(Half(provider.LineSide(line), line, user, linkId, version));
        links.Seed(Half(provider.UserSide(user), line, user, linkId, version));
    }

    private LinkDocument? Doc(string id) => links.Get(id)?.Document;

    private static LinkRequest Request(string line, string user, string linkId, long version) =>
        new(line, user, linkId, version, "messaging-api", DateTimeOffset.FromUnixTimeMilliseconds(version));

    [Fact]
    public async Task UnlinkLineUserAsync_Linked_TombstonesBothHalvesAtServerTimeAndAuditsHashed()
    {
        SeedLink(L1, "alice", "link-a", 100);

        var result = await Unlinker.UnlinkLineUserAsync(L1, "postback", CancellationToken.None);

        Assert.Equal(UnlinkResult.Unlinked, result);
        foreach (var half in new[] { Doc(provider.LineSide(L1))!, Doc(provider.UserSide("alice"))! })
        {
            Assert.Equal(LinkStates.Unlinked, half.State);
            Assert.Equal(Now, half.Version);
            Assert.Equal("link-a", half.LinkId);
        }

        var entry = Assert.Single(audit.Entries);
        Assert.Equal("unlinked", entry.Action);
        Assert.Equal(provider.AuditPartition("alice"), entry.Partition);
        Assert.Equal("link-a", entry.LinkId);
        Assert.Equal("postback", entry.Reason);
        Assert.Equal(ProviderKey.Sha256Hex(entry.HashSalt + L1), entry.LineUserIdHash);
        Assert.DoesNotContain(L1, System.Text.Json.JsonSerializer.Serialize(entry, StorageJsonContext.Default.AuditDocument), StringComparison.Ordinal);
        var measured = Assert.Single(outcomes.GetMeasurementSnapshot());
        Assert.Equal("unlinked", measured.Tags["outcome"]);
        Assert.Equal("postback", measured.Tags["cause"]);
        Assert.Null(await Reader.FindByServiceUserAsync("alice", CancellationToken.None));
        Assert.Null(await Reader.FindByLineUserAsync(L1, CancellationToken.None));
    }

    [Fact]
    public async Task UnlinkServiceUserAsync_Twice_SecondIsNoOpWithoutWritesOrAudit()
    {
        SeedLink(L1, "alice", "link-a", 100);
        await Unlinker.UnlinkServiceUserAsync("alice", "service", CancellationToken.None);
        links.Calls.Clear();
        time.Advance(TimeSpan.FromMinutes(1));

        var second = await Unlinker.UnlinkServiceUserAsync("alice", "service", CancellationToken.None);

        Assert.Equal(UnlinkResult.NotLinked, second);
        Assert.Equal(0, links.Writes);
        Assert.Single(audit.Entries);
        Assert.Equal(1, audit.Appends);
        Assert.Single(outcomes.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task UnlinkLineUserAsync_NeverLinked_NotLinkedAndNothingWritten()
    {
        var result = await Unlinker.UnlinkLineUserAsync(L1, "keyword", CancellationToken.None);

        Assert.Equal(UnlinkResult.NotLinked, result);
        Assert.Equal(0, links.Writes);
        Assert.Empty(audit.Entries);
    }

    [Fact]
    public async Task UnlinkLineUserAsync_LinkVersionAheadOfClock_TombstoneStillNewer()
    {
        // A LINE event timestamp may run ahead of our clock; the unlink that read the link must still end it.
        SeedLink(L1, "alice", "link-a", Now + 5000);

        await Unlinker.UnlinkLineUserAsync(L1, "postback", CancellationToken.None);

        Assert.Equal(Now + 5001, Doc(provider.LineSide(L1))!.Version);
        Assert.Equal(Now + 5001, Doc(provider.UserSide("alice"))!.Version);
        Assert.False(LinkWriter.Supersedes(Now + 5000, "link-a", Doc(provider.LineSide(L1))!));
    }

    [Fact]
    public async Task WriteAsync_RedeliveredLinkAfterUnlink_SupersededByTombstone()
    {
        SeedLink(L1, "alice", "link-a", 100);
        await Unlinker.UnlinkLineUserAsync(L1, "postback", CancellationToken.None);

        var result = await Writer.WriteAsync(Request(L1, "alice", "link-a", 100), CancellationToken.None);

        Assert.Equal(LinkWriteResult.Superseded, result);
        Assert.Null(await Reader.FindByLineUserAsync(L1, CancellationToken.None));
        Assert.Equal(LinkStates.Unlinked, Doc(provider.LineSide(L1))!.State);
    }

    [Fact]
    public async Task WriteAsync_OlderRelinkAfterUnlink_SupersededAndNoHalfLeft()
    {
        SeedLink(L1, "alice", "link-a", 100);
        await Unlinker.UnlinkServiceUserAsync("alice", "service", CancellationToken.None);

        // An event from before the unlink, for the service user with another LINE user, delivered late.
        var result = await Writer.WriteAsync(Request(L2, "alice", "link-b", Now - 1000), CancellationToken.None);

        Assert.Equal(LinkWriteResult.Superseded, result);
        Assert.Null(await Reader.FindByServiceUserAsync("alice", CancellationToken.None));
        Assert.Null(Doc(provider.LineSide(L2)));
        Assert.Equal(LinkStates.Unlinked, Doc(provider.UserSide("alice"))!.State);
    }

    [Fact]
    public async Task WriteAsync_NewerLinkAfterUnlink_LinksAgain()
    {
        SeedLink(L1, "alice", "link-a", 100);
        await Unlinker.UnlinkLineUserAsync(L1, "postback", CancellationToken.None);

        var result = await Writer.WriteAsync(Request(L1, "alice", "link-b", Now + 1000), CancellationToken.None);

        Assert.Equal(LinkWriteResult.Linked, result);
        Assert.Equal("link-b", (await Reader.FindByLineUserAsync(L1, CancellationToken.None))?.LinkId);
    }

    [Fact]
    public async Task FindAsync_TombstonePastWriteGrace_NotLinkedAndTombstoneKept()
    {
        SeedLink(L1, "alice", "link-a", 100);
        await Unlinker.UnlinkLineUserAsync(L1, "postback", CancellationToken.None);
        time.Advance(LinkingPolicy.DedupeWindow + TimeSpan.FromDays(1));

        Assert.Null(await Reader.FindByLineUserAsync(L1, CancellationToken.None));
        Assert.Null(await Reader.FindByServiceUserAsync("alice", CancellationToken.None));
        Assert.Equal(2, links.Documents.Count(d => d.State == LinkStates.Unlinked));
    }

    [Fact]
    public async Task UnlinkLineUserAsync_RelinkHalfWritten_EndsTheServedLinkAndThePendingRelink()
    {
        // L1 was linked with alice; a relink to bob wrote its first half (with the write-ahead record) and not its second.
        SeedLink(L1, "alice", "link-a", 100);
        var old = Doc(provider.LineSide(L1))!;
        links.Seed(Half(provider.LineSide(L1), L1, "bob", "link-b", 200) with { Replaces = old });
        Assert.Equal("alice", (await Reader.FindByLineUserAsync(L1, CancellationToken.None))?.ServiceUserId);

        await Unlinker.UnlinkLineUserAsync(L1, "postback", CancellationToken.None);
        var retried = await Writer.WriteAsync(Request(L1, "bob", "link-b", 200), CancellationToken.None);

        Assert.Equal(LinkWriteResult.Superseded, retried);
        Assert.Null(await Reader.FindByLineUserAsync(L1, CancellationToken.None));
        Assert.Null(await Reader.FindByServiceUserAsync("alice", CancellationToken.None));
        Assert.Null(await Reader.FindByServiceUserAsync("bob", CancellationToken.None));
    }

    [Fact]
    public async Task UnlinkLineUserAsync_ConcurrentWriteBetweenReadAndTombstone_RereadsAndFinishes()
    {
        SeedLink(L1, "alice", "link-a", 100);
        var touched = false;
        links.OnCall = call =>
        {
            // Another writer refreshes the user half just before our If-Match replace lands: our ETag is stale.
            if (!touched && call == $"replace {provider.UserSide("alice")}")
            {
                touched = true;
                links.Seed(Doc(provider.UserSide("alice"))! with { WrittenAt = time.GetUtcNow() });
            }
        };

        var result = await Unlinker.UnlinkLineUserAsync(L1, "postback", CancellationToken.None);

        Assert.Equal(UnlinkResult.Unlinked, result);
        Assert.Equal(LinkStates.Unlinked, Doc(provider.UserSide("alice"))!.State);
        Assert.Single(audit.Entries);
    }

    [Fact]
    public void Displaced_RecordIsATombstone_False()
    {
        // A link made over a tombstone keeps it as its record; it displaced nothing, so nothing may be released as replaced.
        var tombstone = Half(provider.LineSide(L1), L1, "alice", "link-a", 100) with { State = LinkStates.Unlinked };
        var newer = Half(provider.LineSide(L1), L1, "bob", "link-c", 300) with { Replaces = tombstone };
        var leftover = Half(provider.UserSide("alice"), L1, "alice", "link-a", 100);

        Assert.False(newer.Displaced(leftover));
        Assert.True((newer with { Replaces = tombstone with { State = LinkStates.Linked } }).Displaced(leftover));
    }
}
