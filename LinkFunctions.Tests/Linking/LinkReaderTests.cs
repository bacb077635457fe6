using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using LinkFunctions.Tests.LineApi;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LinkFunctions.Tests.Linking;

public class LinkReaderTests
{
    private const string L1 = "U11111111111111111111111111111111";
    private const string L2 = "U22222222222222222222222222222222";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly ProviderKey provider = new("1234567890");
    private readonly InMemoryLinkRepository links = new();
    private readonly DateTimeOffset linkedAt = new(2025, 11, 20, 8, 30, 0, TimeSpan.Zero);

    private LinkReader Reader() => new(links, provider, time, NullLogger<LinkReader>.Instance);

    private LinkDocument Half(string id, string line, string user, string linkId, TimeSpan age, string state = LinkStates.Linked) => new()
    {
        Id = id, LineUserId = line, ServiceUserId = user, LinkId = linkId, Version = 1, State = state,
        Method = "messaging-api", LinkedAt = linkedAt, WrittenAt = time.GetUtcNow() - age,
    };

    private LinkDocument LineHalf(string line, string user, string linkId, TimeSpan age, string state = LinkStates.Linked) =>
        Half(provider.LineSide(line), line, user, linkId, age, state);

    private LinkDocument UserHalf(string line, string user, string linkId, TimeSpan age, string state = LinkStates.Linked) =>
        Half(provider.UserSide(user), line, user, linkId, age, state);

    [Fact]
    public async Task FindByServiceUserAsync_ValidPair_ReturnsTheView()
    {
        links.Seed(LineHalf(L1, "alice", "link-a", TimeSpan.FromDays(1)));
        links.Seed(UserHalf(L1, "alice", "link-a", TimeSpan.FromDays(1)));

        var view = await Reader().FindByServiceUserAsync("alice", CancellationToken.None);

        Assert.Equal(new LinkView("alice", L1, "messaging-api", linkedAt, "link-a"), view);
        Assert.Equal(2, links.Calls.Count);
        Assert.Equal(0, links.Writes);
    }

    [Fact]
    public async Task FindByLineUserAsync_ValidPair_ReturnsTheView()
    {
        links.Seed(LineHalf(L1, "alice", "link-a", TimeSpan.FromDays(1)));
        links.Seed(UserHalf(L1, "alice", "link-a", TimeSpan.FromDays(1)));

        var view = await Reader().FindByLineUserAsync(L1, CancellationToken.None);

        Assert.Equal(new LinkView("alice", L1, "messaging-api", linkedAt, "link-a"), view);
    }

    [Fact]
    public async Task FindByServiceUserAsync_NoDocument_ReturnsNull()
    {
        var view = await Reader().FindByServiceUserAsync("alice", CancellationToken.None);

        Assert.Null(view);
        Assert.Equal(0, links.Writes);
    }

    [Fact]
    public async Task FindByServiceUserAsync_MissingPartnerOlderThanTheGrace_ReturnsNullAndDeletesTheHalf()
    {
        links.Seed(UserHalf(L1, "alice", "link-a", LinkingPolicy.WriteGrace + TimeSpan.FromSeconds(1)));

        var view = await Reader().FindByServiceUserAsync("alice", CancellationToken.None);

        Assert.Null(view);
        Assert.Null(links.Get(provider.UserSide("alice")));
    }

    [Fact]
    public async Task FindByLineUserAsync_MissingPartnerOlderThanTheGrace_ReturnsNullAndDeletesTheHalf()
    {
        links.Seed(LineHalf(L1, "alice", "link-a", TimeSpan.FromHours(1)));

        var view = await Reader().FindByLineUserAsync(L1, CancellationToken.None);

        Assert.Null(view);
        Assert.Null(links.Get(provider.LineSide(L1)));
    }

    [Fact]
    public async Task FindByServiceUserAsync_MissingPartnerYoungerThanTheGrace_ReturnsNullButKeepsTheHalf()
    {
        links.Seed(UserHalf(L1, "alice", "link-a", LinkingPolicy.WriteGrace - TimeSpan.FromSeconds(1)));

        var view = await Reader().FindByServiceUserAsync("alice", CancellationToken.None);

        Assert.Null(view);
        Assert.NotNull(links.Get(provider.UserSide("alice")));
        Assert.Equal(0, links.Writes);
    }

    [Fact]
    public async Task FindByServiceUserAsync_PartnerWithAnotherLinkId_ReturnsNull()
    {
        links.Seed(UserHalf(L1, "alice", "link-a", TimeSpan.FromSeconds(1)));
        links.Seed(LineHalf(L1, "alice", "link-b", TimeSpan.FromSeconds(1)));

        var view = await Reader().FindByServiceUserAsync("alice", CancellationToken.None);

        Assert.Null(view);
    }

    [Fact]
    public async Task FindByServiceUserAsync_StaleHalfWhosePartnerMovedOn_DeletesOnlyTheStaleHalf()
    {
        // alice's half still points at L1, but L1 is now linked to bob with link-b.
        links.Seed(UserHalf(L1, "alice", "link-a", TimeSpan.FromDays(1)));
        links.Seed(LineHalf(L1, "bob", "link-b", TimeSpan.FromDays(1)));
        links.Seed(UserHalf(L1, "bob", "link-b", TimeSpan.FromDays(1)));

        var view = await Reader().FindByServiceUserAsync("alice", CancellationToken.None);
        var bob = await Reader().FindByServiceUserAsync("bob", CancellationToken.None);

        Assert.Null(view);
        Assert.Null(links.Get(provider.UserSide("alice")));
        Assert.Equal("link-b", bob?.LinkId);
    }

    [Fact]
    public async Task FindByLineUserAsync_PartnerPointsAtAnotherLineUser_ReturnsNull()
    {
        links.Seed(LineHalf(L1, "alice", "link-a", TimeSpan.FromSeconds(1)));
        links.Seed(UserHalf(L2, "alice", "link-a", TimeSpan.FromSeconds(1)));

        var view = await Reader().FindByLineUserAsync(L1, CancellationToken.None);

        Assert.Null(view);
    }

    [Fact]
    public async Task FindByServiceUserAsync_PartnerIsATombstone_ReturnsNull()
    {
        links.Seed(UserHalf(L1, "alice", "link-a", TimeSpan.FromSeconds(1)));
        links.Seed(LineHalf(L1, "alice", "link-a", TimeSpan.FromSeconds(1), LinkStates.Unlinked));

        var view = await Reader().FindByServiceUserAsync("alice", CancellationToken.None);

        Assert.Null(view);
    }

    [Fact]
    public async Task FindByServiceUserAsync_HalfIsATombstone_ReturnsNullAndKeepsIt()
    {
        links.Seed(UserHalf(L1, "alice", "link-a", TimeSpan.FromDays(1), LinkStates.Unlinked));
        links.Seed(LineHalf(L1, "alice", "link-a", TimeSpan.FromDays(1), LinkStates.Unlinked));

        var view = await Reader().FindByServiceUserAsync("alice", CancellationToken.None);

        Assert.Null(view);
        Assert.NotNull(links.Get(provider.UserSide("alice")));
        Assert.Equal(0, links.Writes);
    }

    [Fact]
    public async Task FindByServiceUserAsync_HalfRewrittenMeanwhile_DeleteIsConditional()
    {
        var stale = links.Seed(UserHalf(L1, "alice", "link-a", TimeSpan.FromDays(1)));
        var reader = Reader();
        // A concurrent writer replaces the half between the read and the delete: the If-Match must protect it.
        links.OnCall = call =>
        {
            if (call == $"read {provider.LineSide(L1)}")
            {
                links.OnCall = null;
                _ = links.ReplaceAsync(UserHalf(L1, "alice", "link-new", TimeSpan.Zero), stale.ETag, CancellationToken.None);
            }
        };

        var view = await reader.FindByServiceUserAsync("alice", CancellationToken.None);

        Assert.Null(view);
        Assert.Equal("link-new", links.Get(provider.UserSide("alice"))!.Document.LinkId);
    }

    private LinkDocument Record(string line, string user, string linkId) => LineHalf(line, user, linkId, TimeSpan.FromDays(1));

    /// <summary>A relink of L1 from alice (link-a) to bob (link-b) that wrote only its first half, an hour ago.</summary>
    private void SeedUnconfirmedRelink()
    {
        links.Seed(LineHalf(L1, "alice", "link-a", TimeSpan.FromDays(1)));
        links.Seed(UserHalf(L1, "alice", "link-a", TimeSpan.FromDays(1)));
        links.Seed(LineHalf(L1, "bob", "link-b", TimeSpan.FromHours(1)) with { Replaces = Record(L1, "alice", "link-a") });
    }

    [Fact]
    public async Task FindByLineUserAsync_FirstHalfOfAnUnconfirmedRelink_ServesTheReplacedLinkAndKeepsTheHalf()
    {
        SeedUnconfirmedRelink();

        var view = await Reader().FindByLineUserAsync(L1, CancellationToken.None);

        Assert.Equal(new LinkView("alice", L1, "messaging-api", linkedAt, "link-a"), view);
        Assert.Equal(0, links.Writes);
        Assert.Equal(3, links.Calls.Count);
        Assert.Equal("link-b", links.Get(provider.LineSide(L1))!.Document.LinkId);
    }

    [Fact]
    public async Task FindByServiceUserAsync_PartnerTakenOverByAnUnconfirmedRelink_StillLinkedAndKept()
    {
        SeedUnconfirmedRelink();

        var view = await Reader().FindByServiceUserAsync("alice", CancellationToken.None);
        var bob = await Reader().FindByServiceUserAsync("bob", CancellationToken.None);

        Assert.Equal(new LinkView("alice", L1, "messaging-api", linkedAt, "link-a"), view);
        Assert.Null(bob);
        Assert.Equal(0, links.Writes);
        Assert.NotNull(links.Get(provider.UserSide("alice")));
    }

    [Fact]
    public async Task FindByServiceUserAsync_PartnerTakenOverByACommittedRelink_ReleasesTheHalfWithAReplacedAudit()
    {
        SeedUnconfirmedRelink();
        links.Seed(UserHalf(L1, "bob", "link-b", TimeSpan.FromHours(1)));
        var audit = new InMemoryAuditLog();
        var notifier = new ReplacedLinkNotifier(
            audit, new LineTestClients(time).Client, provider, time, Options.Create(new LinkingOptions()), NullLogger<ReplacedLinkNotifier>.Instance);
        var reader = new LinkReader(links, provider, time, NullLogger<LinkReader>.Instance, notifier);

        var view = await reader.FindByServiceUserAsync("alice", CancellationToken.None);

        Assert.Null(view);
        Assert.Null(links.Get(provider.UserSide("alice")));
        var entry = Assert.Single(audit.Entries);
        Assert.Equal((ReplacedLinkNotifier.Action, provider.AuditPartition("alice"), "link-a", "link-b"), (entry.Action, entry.Partition, entry.LinkId, entry.ReplacedBy));
        Assert.Equal("bob", (await reader.FindByLineUserAsync(L1, CancellationToken.None))?.ServiceUserId);
    }

    [Fact]
    public async Task FindByServiceUserAsync_RelinkCommittedAndItsNewPartnerMovedOn_DoesNotBringTheOldLinkBack()
    {
        // L1 moved from alice to bob (committed, alice never released); bob has since moved on to L2.
        links.Seed(UserHalf(L1, "alice", "link-a", TimeSpan.FromDays(3)));
        links.Seed(LineHalf(L1, "bob", "link-b", TimeSpan.FromDays(2)) with { Replaces = Record(L1, "alice", "link-a") });
        links.Seed(UserHalf(L2, "bob", "link-c", TimeSpan.FromDays(1)) with { Replaces = UserHalf(L1, "bob", "link-b", TimeSpan.FromDays(2)) });
        links.Seed(LineHalf(L2, "bob", "link-c", TimeSpan.FromDays(1)));

        Assert.Null(await Reader().FindByServiceUserAsync("alice", CancellationToken.None));
        Assert.Null(await Reader().FindByLineUserAsync(L1, CancellationToken.None));
        Assert.Equal(L2, (await Reader().FindByServiceUserAsync("bob", CancellationToken.None))?.LineUserId);
    }

    [Fact]
    public async Task FindByLineUserAsync_WriteAheadRecordWhoseOldPartnerMovedOn_IsDeletedLikeAnyLoneHalf()
    {
        links.Seed(LineHalf(L1, "bob", "link-b", TimeSpan.FromHours(1)) with { Replaces = Record(L1, "alice", "link-a") });
        links.Seed(UserHalf(L2, "alice", "link-z", TimeSpan.FromHours(1)));

        var view = await Reader().FindByLineUserAsync(L1, CancellationToken.None);

        Assert.Null(view);
        Assert.Null(links.Get(provider.LineSide(L1)));
    }
}
