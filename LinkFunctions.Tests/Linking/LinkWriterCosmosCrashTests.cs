using System.Net;
using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using LinkFunctions.Tests.LineApi;
using LinkFunctions.Tests.TestSupport;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LinkFunctions.Tests.Linking;

/// <summary>The crash-point walk of <see cref="LinkWriterCrashTests"/> against the local Cosmos server, through the real SDK.</summary>
[Collection(CosmosCollection.Name)]
public sealed class LinkWriterCosmosCrashTests(CosmosFixture cosmos) : IDisposable
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private readonly LostAnswerHandler handler = new();
    private CosmosClient? client;

    /// <summary>
    /// Counts the requests to the links and audit containers, and turns the answer of the chosen write into a 503
    /// after Cosmos applied it: the write took effect, the app saw a failure.
    /// </summary>
    private sealed class LostAnswerHandler : RequestHandler
    {
        public int FailAfterWrite { get; set; }

        public int Reads { get; set; }

        public int Refused { get; set; }

        public List<string> Writes { get; } = [];

        public override async Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var uri = request.RequestUri.OriginalString;
            if (!uri.Contains("colls/links", StringComparison.Ordinal) && !uri.Contains("colls/audit", StringComparison.Ordinal))
            {
                return response;
            }

            if (request.Method == HttpMethod.Get)
            {
                Reads++;
                return response;
            }

            if (!response.IsSuccessStatusCode)
            {
                // The writer's blind create of a taken id (409): charged, but nothing changed, so no crash point.
                Refused++;
                return response;
            }

            Writes.Add($"{request.Method} {uri}");
            return Writes.Count == FailAfterWrite
                ? new ResponseMessage(HttpStatusCode.ServiceUnavailable, request, "injected: answer lost after the write")
                : response;
        }
    }

    private (LinkWriter Writer, LinkReader Reader, ProviderKey Provider, ILinkRepository Links) Arrange(RelinkScenario scenario)
    {
        if (client is null)
        {
            var options = StorageExtensions.ClientOptions(local: true);
            options.CustomHandlers.Add(handler);
            client = new CosmosClient(cosmos.ConnectionString, options);
        }

        var database = new CosmosDatabase(client, Options.Create(cosmos.Options));
        var provider = new ProviderKey($"p{Guid.NewGuid():N}");
        var links = new CosmosLinkRepository(database);
        var notifier = new ReplacedLinkNotifier(
            new CosmosAuditLog(database), new LineTestClients(time).Client, provider, time, Options.Create(new LinkingOptions()),
            NullLogger<ReplacedLinkNotifier>.Instance);
        return (new LinkWriter(links, provider, time, NullLogger<LinkWriter>.Instance, notifier),
            new LinkReader(links, provider, time, NullLogger<LinkReader>.Instance, notifier), provider, links);
    }

    private async Task SeedAsync(RelinkScenario scenario, ProviderKey provider, ILinkRepository links)
    {
        foreach (var half in scenario.Halves(provider, time.GetUtcNow() - TimeSpan.FromDays(1)))
        {
            await links.CreateAsync(half, CancellationToken.None);
        }

        handler.Reads = 0;
        handler.Refused = 0;
        handler.Writes.Clear();
    }

    [Theory]
    [InlineData(RelinkScenario.LineUserMoves)]
    [InlineData(RelinkScenario.ServiceUserMoves)]
    public async Task WriteAsync_CosmosAnswerLostAfterEachWrite_OldLinkHoldsUntilTheCommitAndARetryFinishesTheRelink(string name)
    {
        var scenario = RelinkScenario.Create(name);
        var clean = Arrange(scenario);
        await SeedAsync(scenario, clean.Provider, clean.Links);
        Assert.Equal(LinkWriteResult.Linked, await clean.Writer.WriteAsync(scenario.Request, CancellationToken.None));
        var writes = handler.Writes.ToList();
        // The second link-half write (the user half) is the commit: before it the old link must hold, after it the new.
        const int commit = 2;
        Assert.All(writes.Take(commit), w => Assert.Contains("colls/links", w, StringComparison.Ordinal));
        var wrong = new List<string>();

        for (var crashAfter = 1; crashAfter <= writes.Count; crashAfter++)
        {
            var world = Arrange(scenario);
            await SeedAsync(scenario, world.Provider, world.Links);
            handler.FailAfterWrite = crashAfter;
            await Assert.ThrowsAsync<StorageException>(() => world.Writer.WriteAsync(scenario.Request, CancellationToken.None));
            handler.FailAfterWrite = 0;

            time.Advance(TimeSpan.FromMinutes(1));
            var state = crashAfter < commit ? await scenario.OldLinksHoldAsync(world.Reader) : await scenario.NewLinkHoldsAsync(world.Reader);
            wrong.AddRange(state.Select(s => $"crash after write {crashAfter} ({writes[crashAfter - 1]}), no retry: {s}"));

            Assert.Equal(LinkWriteResult.Linked, await world.Writer.WriteAsync(scenario.Request, CancellationToken.None));
            wrong.AddRange((await scenario.NewLinkHoldsAsync(world.Reader)).Select(s => $"crash after write {crashAfter}, after retry: {s}"));
            foreach (var displaced in scenario.Displaced)
            {
                var id = displaced.Line == scenario.Request.LineUserId ? world.Provider.UserSide(displaced.User) : world.Provider.LineSide(displaced.Line);
                if (await world.Links.ReadAsync(id, CancellationToken.None) is not null)
                {
                    wrong.Add($"crash after write {crashAfter}, after retry: dangling half {id}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    /// <summary>The figures docs/performance.md gives for the link writer's share of a relink.</summary>
    /// <remarks>Each half is first created blind: a taken half costs a refused create (409) before its read.</remarks>
    [Theory]
    [InlineData(RelinkScenario.LineUserMoves, 2, 4, 1)]
    [InlineData(RelinkScenario.ServiceUserMoves, 2, 4, 1)]
    [InlineData(RelinkScenario.BothMove, 4, 6, 2)]
    public async Task WriteAsync_Relink_CostsTheDocumentedCosmosOperations(string name, int reads, int writes, int refused)
    {
        var scenario = RelinkScenario.Create(name);
        var world = Arrange(scenario);
        await SeedAsync(scenario, world.Provider, world.Links);

        await world.Writer.WriteAsync(scenario.Request, CancellationToken.None);

        Assert.Equal((reads, writes, refused), (handler.Reads, handler.Writes.Count, handler.Refused));
    }

    public void Dispose() => client?.Dispose();
}
