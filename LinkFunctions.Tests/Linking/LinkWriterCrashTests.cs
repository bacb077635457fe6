using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using LinkFunctions.Tests.LineApi;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LinkFunctions.Tests.Linking;

/// <summary>
/// A relink crashes after each single write in turn (link halves and audit entries; the write took effect and its
/// answer was lost). Without a retry the reader must still serve the old links both ways until the commit (the
/// second link half), and the new link after it; never neither. With a retry the new link must hold both ways and
/// every displaced half be gone, audited once.
/// </summary>
public class LinkWriterCrashTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly ProviderKey provider = new("1234567890");

    public static TheoryData<string, bool> Scenarios()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in RelinkScenario.Names)
        {
            data.Add(name, true);
            data.Add(name, false);
        }

        return data;
    }

    private sealed class World
    {
        public required InMemoryLinkRepository Links { get; init; }
        public required InMemoryAuditLog Audit { get; init; }
        public required WriteFaults Faults { get; init; }
        public required LinkWriter Writer { get; init; }
        public required LinkReader Reader { get; init; }
    }

    private World Arrange(RelinkScenario scenario, int failAfter)
    {
        var links = new InMemoryLinkRepository();
        foreach (var half in scenario.Halves(provider, time.GetUtcNow() - TimeSpan.FromDays(1)))
        {
            links.Seed(half);
        }

        var faults = new WriteFaults { FailAfter = failAfter };
        var audit = new InMemoryAuditLog(faults);
        var line = new LineTestClients(time);
        var notifier = new ReplacedLinkNotifier(
            audit, line.Client, provider, time, Options.Create(new LinkingOptions()), NullLogger<ReplacedLinkNotifier>.Instance);
        var faulting = new FaultingLinkRepository(links, faults);
        return new World
        {
            Links = links,
            Audit = audit,
            Faults = faults,
            Writer = new LinkWriter(faulting, provider, time, NullLogger<LinkWriter>.Instance, notifier),
            Reader = new LinkReader(faulting, provider, time, NullLogger<LinkReader>.Instance, notifier),
        };
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task WriteAsync_FaultAfterEachWrite_OldLinkHoldsUntilTheCommitAndARetryFinishesTheRelink(string name, bool readBeforeRetry)
    {
        var scenario = RelinkScenario.Create(name);
        var clean = Arrange(scenario, failAfter: 0);
        Assert.Equal(LinkWriteResult.Linked, await clean.Writer.WriteAsync(scenario.Request, CancellationToken.None));
        var writes = clean.Faults.Writes;
        var commit = writes.FindIndex(w => w.EndsWith(" " + provider.UserSide(scenario.Request.ServiceUserId), StringComparison.Ordinal)) + 1;
        Assert.True(commit > 1, string.Join(", ", writes));
        var wrong = new List<string>();

        for (var crashAfter = 1; crashAfter <= writes.Count; crashAfter++)
        {
            var world = Arrange(scenario, crashAfter);
            var at = $"crash after write {crashAfter} ({writes[crashAfter - 1]})";
            await Assert.ThrowsAsync<StorageException>(() => world.Writer.WriteAsync(scenario.Request, CancellationToken.None));
            world.Faults.FailAfter = 0;

            if (readBeforeRetry)
            {
                // LINE does not redeliver (yet): lookups run, past the write grace, so read repair is armed. Each
                // party is read twice, so that a repair by the first read cannot hide behind its own answer.
                time.Advance(TimeSpan.FromMinutes(1));
                for (var pass = 0; pass < 2; pass++)
                {
                    var state = crashAfter < commit ? await scenario.OldLinksHoldAsync(world.Reader) : await scenario.NewLinkHoldsAsync(world.Reader);
                    wrong.AddRange(state.Select(s => $"{at}, no retry, read {pass + 1}: {s}"));
                }
            }

            var retried = await world.Writer.WriteAsync(scenario.Request, CancellationToken.None);
            if (retried != LinkWriteResult.Linked)
            {
                wrong.Add($"{at}, retry: {retried}");
            }

            // The retry itself must leave nothing behind; nothing has read the halves since it ran.
            var expectedIds = new[] { provider.LineSide(scenario.Request.LineUserId), provider.UserSide(scenario.Request.ServiceUserId) };
            var dangling = world.Links.Documents.Select(d => d.Id).Except(expectedIds).ToList();
            wrong.AddRange(dangling.Select(id => $"{at}, after retry: dangling half {id}"));
            var replaced = world.Audit.Entries.Where(e => e.Action == ReplacedLinkNotifier.Action).ToList();
            foreach (var displaced in scenario.Displaced)
            {
                var entries = replaced.Count(e => e.LinkId == displaced.LinkId && e.Partition == provider.AuditPartition(displaced.User));
                if (entries != 1)
                {
                    wrong.Add($"{at}, after retry: {entries} replaced audit entries for {displaced.LinkId}");
                }
            }

            // Last: a lookup would repair a dangling half itself, and so hide one the retry left behind.
            wrong.AddRange((await scenario.NewLinkHoldsAsync(world.Reader)).Select(s => $"{at}, after retry: {s}"));
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }
}
