using LinkFunctions.Storage;

namespace LinkFunctions.Tests.Linking;

/// <summary>The fake must keep the container's protocol, or the link tests above it prove nothing.</summary>
public class InMemoryLinkRepositoryTests
{
    private static LinkDocument Doc(string id, string linkId = "a") => new()
    {
        Id = id, LineUserId = "U11111111111111111111111111111111", ServiceUserId = "alice", LinkId = linkId, Version = 1,
        State = LinkStates.Linked, Method = "messaging-api", LinkedAt = DateTimeOffset.UnixEpoch, WrittenAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public async Task CreateAsync_ExistingId_ReturnsConflictAndKeepsTheOriginal()
    {
        var repository = new InMemoryLinkRepository();
        var (first, etag) = await repository.CreateAsync(Doc("x", "a"), CancellationToken.None);

        var (second, _) = await repository.CreateAsync(Doc("x", "b"), CancellationToken.None);

        Assert.Equal(WriteOutcome.Ok, first);
        Assert.Equal(WriteOutcome.Conflict, second);
        Assert.Equal("a", repository.Get("x")!.Document.LinkId);
        Assert.Equal(etag, repository.Get("x")!.ETag);
    }

    [Fact]
    public async Task ReplaceAsync_StaleETag_ReturnsPreconditionFailed()
    {
        var repository = new InMemoryLinkRepository();
        var (_, etag) = await repository.CreateAsync(Doc("x", "a"), CancellationToken.None);
        var (replaced, newETag) = await repository.ReplaceAsync(Doc("x", "b"), etag!, CancellationToken.None);

        var (stale, _) = await repository.ReplaceAsync(Doc("x", "c"), etag!, CancellationToken.None);

        Assert.Equal(WriteOutcome.Ok, replaced);
        Assert.NotEqual(etag, newETag);
        Assert.Equal(WriteOutcome.PreconditionFailed, stale);
        Assert.Equal("b", repository.Get("x")!.Document.LinkId);
    }

    [Fact]
    public async Task DeleteAsync_StaleETag_ReturnsPreconditionFailedAndKeepsTheDocument()
    {
        var repository = new InMemoryLinkRepository();
        var (_, etag) = await repository.CreateAsync(Doc("x"), CancellationToken.None);
        await repository.ReplaceAsync(Doc("x", "b"), etag!, CancellationToken.None);

        var outcome = await repository.DeleteAsync("x", etag!, CancellationToken.None);

        Assert.Equal(WriteOutcome.PreconditionFailed, outcome);
        Assert.NotNull(repository.Get("x"));
    }

    [Fact]
    public async Task DeleteAsync_CurrentETag_Removes()
    {
        var repository = new InMemoryLinkRepository();
        var (_, etag) = await repository.CreateAsync(Doc("x"), CancellationToken.None);

        var outcome = await repository.DeleteAsync("x", etag!, CancellationToken.None);

        Assert.Equal(WriteOutcome.Ok, outcome);
        Assert.Null(await repository.ReadAsync("x", CancellationToken.None));
    }
}
