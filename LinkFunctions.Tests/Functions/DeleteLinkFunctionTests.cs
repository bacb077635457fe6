using LinkFunctions.Functions;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using LinkFunctions.Tests.Linking;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace LinkFunctions.Tests.Functions;

public class DeleteLinkFunctionTests
{
    private const string LineUserId = "U4af4980629f4e5e0aa5e3c8f5b1b2c3d";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly ProviderKey provider = new("1234567890");
    private readonly InMemoryLinkRepository links = new();
    private readonly InMemoryAuditLog audit = new();

    private DeleteLinkFunction Function(ILinkRepository? repository = null)
    {
        var store = repository ?? links;
        var reader = new LinkReader(store, provider, time, NullLogger<LinkReader>.Instance);
        return new(new LinkUnlinker(store, reader, audit, provider, time, NullLogger<LinkUnlinker>.Instance), NullLogger<DeleteLinkFunction>.Instance);
    }

    private void SeedLink(string serviceUserId)
    {
        foreach (var id in new[] { provider.LineSide(LineUserId), provider.UserSide(serviceUserId) })
        {
            links.Seed(new LinkDocument
            {
                Id = id, LineUserId = LineUserId, ServiceUserId = serviceUserId, LinkId = "link-a", Version = 1, State = LinkStates.Linked,
                Method = "messaging-api", LinkedAt = time.GetUtcNow(), WrittenAt = time.GetUtcNow(),
            });
        }
    }

    private static HttpRequest Delete(string path)
    {
        var request = FunctionHttp.Get(path);
        request.Method = HttpMethods.Delete;
        return request;
    }

    [Fact]
    public async Task ByServiceUser_LinkedThenAgain_Returns204BothTimesAndUnlinksOnce()
    {
        SeedLink("alice");

        var first = await Function().ByServiceUser(Delete("/links/users/alice"), "alice");
        var second = await Function().ByServiceUser(Delete("/links/users/alice"), "alice");

        Assert.Equal(204, FunctionHttp.Status(first));
        Assert.Equal(204, FunctionHttp.Status(second));
        Assert.All(links.Documents, d => Assert.Equal(LinkStates.Unlinked, d.State));
        Assert.Equal("service", Assert.Single(audit.Entries).Reason);
    }

    [Fact]
    public async Task ByLineUser_LinkedThenAgain_Returns204BothTimesAndUnlinksOnce()
    {
        SeedLink("alice");

        var first = await Function().ByLineUser(Delete($"/links/line-users/{LineUserId}"), LineUserId);
        var second = await Function().ByLineUser(Delete($"/links/line-users/{LineUserId}"), LineUserId);

        Assert.Equal(204, FunctionHttp.Status(first));
        Assert.Equal(204, FunctionHttp.Status(second));
        Assert.Equal(2, links.Documents.Count(d => d.State == LinkStates.Unlinked));
        Assert.Single(audit.Entries);
    }

    [Fact]
    public async Task ByServiceUser_NeverLinked_Returns204()
    {
        var result = await Function().ByServiceUser(Delete("/links/users/nobody"), "nobody");

        Assert.Equal(204, FunctionHttp.Status(result));
        Assert.Empty(links.Documents);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("")]
    public async Task ByServiceUser_InvalidId_Returns400(string serviceUserId)
    {
        var result = await Function().ByServiceUser(Delete("/links/users/x"), serviceUserId);

        FunctionHttp.Problem(result, StatusCodes.Status400BadRequest, "invalid-service-user-id");
    }

    [Theory]
    [InlineData("U4AF4980629F4E5E0AA5E3C8F5B1B2C3D")]
    [InlineData("alice")]
    public async Task ByLineUser_InvalidId_Returns400(string lineUserId)
    {
        var result = await Function().ByLineUser(Delete("/links/line-users/x"), lineUserId);

        FunctionHttp.Problem(result, StatusCodes.Status400BadRequest, "invalid-line-user-id");
    }

    [Fact]
    public async Task ByLineUser_StorageDown_Returns503()
    {
        var failing = new Mock<ILinkRepository>();
        failing.Setup(r => r.ReadAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new StorageException("read", 503));

        var result = await Function(failing.Object).ByLineUser(Delete($"/links/line-users/{LineUserId}"), LineUserId);

        FunctionHttp.Problem(result, StatusCodes.Status503ServiceUnavailable, "storage-unavailable");
    }
}
