using LinkFunctions.Linking;
using LinkFunctions.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace LinkFunctions.Tests.Linking;

public class LinkWriterTests
{
    private const string L1 = "U11111111111111111111111111111111";
    private const string L2 = "U22222222222222222222222222222222";
    private const string L9 = "U99999999999999999999999999999999";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly ProviderKey provider = new("1234567890");
    private readonly InMemoryLinkRepository links = new();

    private LinkWriter Writer(ILinkRepository? repository = null) => new(repository ?? links, provider, time, NullLogger<LinkWriter>.Instance);

    private static LinkRequest Request(string line, string user, string linkId, long version) =>
        new(line, user, linkId, version, "messaging-api", DateTimeOffset.FromUnixTimeMilliseconds(version));

    private LinkDocument Half(string id, string line, string user, string linkId, long version, string state = LinkStates.Linked) => new()
    {
        Id = id, LineUserId = line, ServiceUserId = user, LinkId = linkId, Version = version, State = state,
        Method = "messaging-api", LinkedAt = DateTimeOffset.FromUnixTimeMilliseconds(version), WrittenAt = time.GetUtcNow() - TimeSpan.FromDays(1),
    };

    /// <summary>Seeds a valid link: both halves pointing at each other with one linkId.</summary>
    private void SeedLink(string line, string user, string linkId, long version)
    {
        links.Seed(Half(provider.LineSide(line), line, user, linkId, version));
        links.Seed(Half(provider.UserSide(user), line, user, linkId, version));
    }

    private LinkDocument? LineHalf(string line) => links.Get(provider.LineSide(line))?.Document;

    private LinkDocument? UserHalf(string user) => links.Get(provider.UserSide(user))?.Document;

    [Fact]
    public async Task WriteAsync_FreshLink_WritesBothHalvesLineSideFirst()
    {
        var result = await Writer().WriteAsync(Request(L1, "alice", "link-a", 100), CancellationToken.None);

        Assert.Equal(LinkWriteResult.Linked, result);
        var creates = links.Calls.Where(c => c.StartsWith("create ", StringComparison.Ordinal)).ToList();
        Assert.Equal(new[] { $"create {provider.LineSide(L1)}", $"create {provider.UserSide("alice")}" }, creates);
        foreach (var half in new[] { LineHalf(L1)!, UserHalf("alice")! })
        {
            Assert.Equal("link-a", half.LinkId);
            Assert.Equal(L1, half.LineUserId);
            Assert.Equal("alice", half.ServiceUserId);
            Assert.Equal(100, half.Version);
            Assert.Equal(LinkStates.Linked, half.State);
            Assert.Equal("messaging-api", half.Method);
            Assert.Equal(time.GetUtcNow(), half.WrittenAt);
        }
    }

    [Fact]
    public async Task WriteAsync_SameLinkIdAgain_IsIdempotentAndWritesNothing()
    {
        var writer = Writer();
        await writer.WriteAsync(Request(L1, "alice", "link-a", 100), CancellationToken.None);
        var before = (links.Get(provider.LineSide(L1))!.ETag, links.Get(provider.UserSide("alice"))!.ETag);
        links.Calls.Clear();

        var result = await writer.WriteAsync(Request(L1, "alice", "link-a", 100), CancellationToken.None);

        Assert.Equal(LinkWriteResult.Linked, result);
        Assert.Equal(0, links.Writes);
        Assert.Equal(before, (links.Get(provider.LineSide(L1))!.ETag, links.Get(provider.UserSide("alice"))!.ETag));
    }

    [Fact]
    public async Task WriteAsync_NewerVersionForTheSameLineUser_ReplacesAndDeletesTheFormerUserHalf()
    {
        SeedLink(L1, "alice", "link-a", 100);

        var result = await Writer().WriteAsync(Request(L1, "bob", "link-b", 200), CancellationToken.None);

        Assert.Equal(LinkWriteResult.Linked, result);
        Assert.Equal("bob", LineHalf(L1)!.ServiceUserId);
        Assert.Equal("link-b", LineHalf(L1)!.LinkId);
        Assert.Equal("link-b", UserHalf("bob")!.LinkId);
        Assert.Null(UserHalf("alice"));
    }

    [Fact]
    public async Task WriteAsync_NewerVersionForTheSameServiceUser_ReplacesAndDeletesTheFormerLineHalf()
    {
        SeedLink(L1, "alice", "link-a", 100);

        var result = await Writer().WriteAsync(Request(L2, "alice", "link-b", 200), CancellationToken.None);

        Assert.Equal(LinkWriteResult.Linked, result);
        Assert.Equal(L2, UserHalf("alice")!.LineUserId);
        Assert.Equal("link-b", LineHalf(L2)!.LinkId);
        Assert.Null(LineHalf(L1));
    }

    [Fact]
    public async Task WriteAsync_FormerPartnerAlreadyCarriesAnotherLinkId_LeavesItAlone()
    {
        // line:L1 still says alice/link-a, but alice has since moved on to L9 with link-c.
        links.Seed(Half(provider.LineSide(L1), L1, "alice", "link-a", 100));
        links.Seed(Half(provider.UserSide("alice"), L9, "alice", "link-c", 150));
        links.Seed(Half(provider.LineSide(L9), L9, "alice", "link-c", 150));

        var result = await Writer().WriteAsync(Request(L1, "bob", "link-b", 200), CancellationToken.None);

        Assert.Equal(LinkWriteResult.Linked, result);
        Assert.Equal("link-c", UserHalf("alice")!.LinkId);
        Assert.DoesNotContain($"delete {provider.UserSide("alice")}", links.Calls);
    }

    [Fact]
    public async Task WriteAsync_NewerVersionOverATombstone_Links()
    {
        links.Seed(Half(provider.LineSide(L1), L1, "alice", "link-a", 100, LinkStates.Unlinked));
        links.Seed(Half(provider.UserSide("alice"), L1, "alice", "link-a", 100, LinkStates.Unlinked));

        var result = await Writer().WriteAsync(Request(L1, "alice", "link-b", 200), CancellationToken.None);

        Assert.Equal(LinkWriteResult.Linked, result);
        Assert.Equal(LinkStates.Linked, LineHalf(L1)!.State);
        Assert.Equal("link-b", UserHalf("alice")!.LinkId);
    }

    [Fact]
    public async Task WriteAsync_RedeliveryOfTheLinkAfterAnUnlink_IsSupersededByTheTombstone()
    {
        links.Seed(Half(provider.LineSide(L1), L1, "alice", "link-a", 300, LinkStates.Unlinked));
        links.Seed(Half(provider.UserSide("alice"), L1, "alice", "link-a", 300, LinkStates.Unlinked));

        var result = await Writer().WriteAsync(Request(L1, "alice", "link-a", 100), CancellationToken.None);

        Assert.Equal(LinkWriteResult.Superseded, result);
        Assert.Equal(LinkStates.Unlinked, LineHalf(L1)!.State);
        Assert.Equal(LinkStates.Unlinked, UserHalf("alice")!.State);
    }

    [Fact]
    public async Task WriteAsync_OlderVersion_IsSupersededAndLeavesTheExistingLinkIntact()
    {
        SeedLink(L1, "alice", "link-a", 200);
        var before = links.Get(provider.LineSide(L1));

        var result = await Writer().WriteAsync(Request(L1, "bob", "link-b", 100), CancellationToken.None);

        Assert.Equal(LinkWriteResult.Superseded, result);
        Assert.Equal(before, links.Get(provider.LineSide(L1)));
        Assert.Equal("link-a", UserHalf("alice")!.LinkId);
        Assert.Null(UserHalf("bob"));
        Assert.Equal(0, links.Writes);
    }

    [Fact]
    public async Task WriteAsync_SameVersionLargerLinkId_Wins()
    {
        SeedLink(L1, "alice", "link-a", 100);

        var result = await Writer().WriteAsync(Request(L1, "bob", "link-b", 100), CancellationToken.None);

        Assert.Equal(LinkWriteResult.Linked, result);
        Assert.Equal("link-b", LineHalf(L1)!.LinkId);
        Assert.Null(UserHalf("alice"));
    }

    [Fact]
    public async Task WriteAsync_SameVersionSmallerLinkId_Loses()
    {
        SeedLink(L1, "alice", "link-b", 100);

        var result = await Writer().WriteAsync(Request(L1, "bob", "link-a", 100), CancellationToken.None);

        Assert.Equal(LinkWriteResult.Superseded, result);
        Assert.Equal("link-b", LineHalf(L1)!.LinkId);
        Assert.Equal("alice", LineHalf(L1)!.ServiceUserId);
        Assert.Null(UserHalf("bob"));
    }

    [Fact]
    public async Task WriteAsync_UserSideLost_RestoresTheLineSideToItsPreviousDocument()
    {
        SeedLink(L1, "alice", "link-a", 100);
        SeedLink(L9, "bob", "link-z", 500);
        var previousLine = LineHalf(L1);

        var result = await Writer().WriteAsync(Request(L1, "bob", "link-b", 200), CancellationToken.None);

        Assert.Equal(LinkWriteResult.Superseded, result);
        Assert.Equal(previousLine, LineHalf(L1));
        Assert.Equal("link-a", UserHalf("alice")!.LinkId);
        Assert.Equal("link-z", UserHalf("bob")!.LinkId);
        Assert.Equal(L9, UserHalf("bob")!.LineUserId);
    }

    [Fact]
    public async Task WriteAsync_UserSideLostAfterAFreshLineSide_RemovesTheLineSide()
    {
        SeedLink(L9, "bob", "link-z", 500);

        var result = await Writer().WriteAsync(Request(L1, "bob", "link-b", 200), CancellationToken.None);

        Assert.Equal(LinkWriteResult.Superseded, result);
        Assert.Null(LineHalf(L1));
        Assert.Equal("link-z", UserHalf("bob")!.LinkId);
    }

    [Fact]
    public async Task WriteAsync_RedeliveryFindsItsOwnOldLineHalf_LeavesALinkThatAConcurrentReaderCannotBreak()
    {
        // A first delivery wrote the line half and failed before the user half; LINE redelivers minutes later.
        links.Seed(Half(provider.LineSide(L1), L1, "alice", "link-a", 100) with { WrittenAt = time.GetUtcNow() - TimeSpan.FromMinutes(5) });
        var reader = new LinkReader(links, provider, time, NullLogger<LinkReader>.Instance);
        var readerRan = false;
        links.OnCall = call =>
        {
            // A lookup by the LINE user lands after the writer has taken its own line half as claimed, before the user half.
            if (!readerRan && call == $"create {provider.UserSide("alice")}")
            {
                readerRan = true;
                _ = reader.FindByLineUserAsync(L1, CancellationToken.None).GetAwaiter().GetResult();
            }
        };

        var result = await Writer().WriteAsync(Request(L1, "alice", "link-a", 100), CancellationToken.None);
        links.OnCall = null;

        Assert.True(readerRan);
        Assert.Equal(LinkWriteResult.Linked, result);
        Assert.NotNull(await reader.FindByServiceUserAsync("alice", CancellationToken.None));
    }

    [Fact]
    public async Task WriteAsync_CreateConflictsWithAConcurrentWriter_RereadsAndDecidesAgain()
    {
        var repository = new Mock<ILinkRepository>();
        var concurrent = Half(provider.LineSide(L1), L1, "carol", "link-c", 50);
        repository.SetupSequence(r => r.ReadAsync(provider.LineSide(L1), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Stored<LinkDocument>?)null)
            .ReturnsAsync(new Stored<LinkDocument>(concurrent, "\"c1\""));
        repository.Setup(r => r.CreateAsync(It.Is<LinkDocument>(d => d.Id == provider.LineSide(L1)), It.IsAny<CancellationToken>()))
            .ReturnsAsync((WriteOutcome.Conflict, (string?)null));
        repository.Setup(r => r.ReplaceAsync(It.Is<LinkDocument>(d => d.Id == provider.LineSide(L1)), "\"c1\"", It.IsAny<CancellationToken>()))
            .ReturnsAsync((WriteOutcome.Ok, "\"c2\""));
        repository.Setup(r => r.ReadAsync(provider.UserSide("alice"), It.IsAny<CancellationToken>())).ReturnsAsync((Stored<LinkDocument>?)null);
        repository.Setup(r => r.CreateAsync(It.Is<LinkDocument>(d => d.Id == provider.UserSide("alice")), It.IsAny<CancellationToken>()))
            .ReturnsAsync((WriteOutcome.Ok, "\"u1\""));

        var result = await Writer(repository.Object).WriteAsync(Request(L1, "alice", "link-a", 100), CancellationToken.None);

        Assert.Equal(LinkWriteResult.Linked, result);
        repository.Verify(r => r.ReplaceAsync(It.Is<LinkDocument>(d => d.LinkId == "link-a"), "\"c1\"", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task WriteAsync_EndlessContention_ThrowsAfterBoundedAttempts()
    {
        var repository = new Mock<ILinkRepository>();
        repository.Setup(r => r.ReadAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((Stored<LinkDocument>?)null);
        repository.Setup(r => r.CreateAsync(It.IsAny<LinkDocument>(), It.IsAny<CancellationToken>())).ReturnsAsync((WriteOutcome.Conflict, (string?)null));

        await Assert.ThrowsAsync<StorageException>(() => Writer(repository.Object).WriteAsync(Request(L1, "alice", "link-a", 100), CancellationToken.None));

        // The blind first create, then one per bounded re-read.
        repository.Verify(r => r.CreateAsync(It.IsAny<LinkDocument>(), It.IsAny<CancellationToken>()), Times.Exactly(LinkingPolicy.MaxWriteAttempts + 1));
    }

    [Theory]
    [InlineData(101, "a", true)]
    [InlineData(99, "z", false)]
    [InlineData(100, "b", true)]
    [InlineData(100, "a", false)]
    [InlineData(100, "0", false)]
    public void Supersedes_VersionThenLinkId_OrdersWrites(long version, string linkId, bool expected)
    {
        var existing = Half("line:x:y", L1, "alice", "a", 100);

        Assert.Equal(expected, LinkWriter.Supersedes(version, linkId, existing));
    }

    private LinkReader Reader() => new(links, provider, time, NullLogger<LinkReader>.Instance);

    [Fact]
    public async Task WriteAsync_Relink_LeavesAWriteAheadRecordOfTheTakenOverHalf()
    {
        SeedLink(L1, "alice", "link-a", 100);
        var before = LineHalf(L1)!;

        await Writer().WriteAsync(Request(L1, "bob", "link-b", 200), CancellationToken.None);

        Assert.Equal(before, LineHalf(L1)!.Replaces);
        Assert.Null(UserHalf("bob")!.Replaces);
    }

    [Fact]
    public async Task WriteAsync_RetryThatNowLosesTheUserSide_PutsBackTheLinkTheRecordNames()
    {
        SeedLink(L1, "alice", "link-a", 100);
        var faults = new WriteFaults { FailAfter = 1 };
        await Assert.ThrowsAsync<StorageException>(() => Writer(new FaultingLinkRepository(links, faults)).WriteAsync(Request(L1, "bob", "link-b", 200), CancellationToken.None));
        // Before LINE redelivers, bob links a newer LINE user elsewhere.
        SeedLink(L9, "bob", "link-z", 500);
        time.Advance(TimeSpan.FromMinutes(1));

        var result = await Writer().WriteAsync(Request(L1, "bob", "link-b", 200), CancellationToken.None);

        Assert.Equal(LinkWriteResult.Superseded, result);
        Assert.Equal(("alice", "link-a", LinkStates.Linked), (LineHalf(L1)!.ServiceUserId, LineHalf(L1)!.LinkId, LineHalf(L1)!.State));
        Assert.Equal("link-a", (await Reader().FindByServiceUserAsync("alice", CancellationToken.None))?.LinkId);
        Assert.Equal("link-z", (await Reader().FindByServiceUserAsync("bob", CancellationToken.None))?.LinkId);
    }

    [Fact]
    public async Task WriteAsync_RelinkOverAnAbandonedRelink_KeepsTheLinkThatStillHoldsReadableUntilTheCommit()
    {
        // L1 was linked to alice; a relink to bob wrote only its first half and was never retried.
        SeedLink(L1, "alice", "link-a", 100);
        links.Seed(Half(provider.LineSide(L1), L1, "bob", "link-b", 200) with { Replaces = LineHalf(L1) });
        var faults = new WriteFaults { FailAfter = 1 };

        await Assert.ThrowsAsync<StorageException>(() => Writer(new FaultingLinkRepository(links, faults)).WriteAsync(Request(L1, "carol", "link-c", 300), CancellationToken.None));
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal("link-a", LineHalf(L1)!.Replaces?.LinkId);
        Assert.Equal("alice", (await Reader().FindByLineUserAsync(L1, CancellationToken.None))?.ServiceUserId);
        Assert.Equal(L1, (await Reader().FindByServiceUserAsync("alice", CancellationToken.None))?.LineUserId);
    }

    [Fact]
    public async Task WriteAsync_RedeliveredRelinkAfterTheCommit_ReleasesTheDisplacedPartnerFromTheRecord()
    {
        SeedLink(L1, "alice", "link-a", 100);
        var faults = new WriteFaults { FailAfter = 2 };
        await Assert.ThrowsAsync<StorageException>(() => Writer(new FaultingLinkRepository(links, faults)).WriteAsync(Request(L1, "bob", "link-b", 200), CancellationToken.None));
        Assert.NotNull(UserHalf("alice"));
        links.Calls.Clear();

        var result = await Writer().WriteAsync(Request(L1, "bob", "link-b", 200), CancellationToken.None);

        Assert.Equal(LinkWriteResult.Linked, result);
        Assert.Null(UserHalf("alice"));
        Assert.Contains($"delete {provider.UserSide("alice")}", links.Calls);
    }
}
