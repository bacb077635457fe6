using LinkFunctions.Functions;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using LinkFunctions.Tests.Linking;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace LinkFunctions.Tests.Functions;

public class GetLinkFunctionTests
{
    private const string LineUserId = "U4af4980629f4e5e0aa5e3c8f5b1b2c3d";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly ProviderKey provider = new("1234567890");
    private readonly InMemoryLinkRepository links = new();
    private readonly DateTimeOffset linkedAt = new(2025, 11, 20, 8, 30, 0, TimeSpan.Zero);

    private readonly FakeLogger<GetLinkFunction> logger = new();

    private GetLinkFunction Function(ILinkRepository? repository = null) =>
        new(new LinkReader(repository ?? links, provider, time, NullLogger<LinkReader>.Instance), logger);

    private void SeedLink(string serviceUserId)
    {
        foreach (var id in new[] { provider.LineSide(LineUserId), provider.UserSide(serviceUserId) })
        {
            links.Seed(new LinkDocument
            {
                Id = id, LineUserId = LineUserId, ServiceUserId = serviceUserId, LinkId = "secret-link-id", Version = 1, State = LinkStates.Linked,
                Method = "messaging-api", LinkedAt = linkedAt, WrittenAt = linkedAt,
            });
        }
    }

    [Fact]
    public async Task ByServiceUser_Linked_Returns200WithTheLink()
    {
        SeedLink("alice");

        var result = await Function().ByServiceUser(FunctionHttp.Get("/links/users/alice"), "alice");

        Assert.Equal(200, FunctionHttp.Status(result));
        var json = FunctionHttp.Json(result);
        Assert.Equal("alice", json.GetProperty("serviceUserId").GetString());
        Assert.Equal(LineUserId, json.GetProperty("lineUserId").GetString());
        Assert.Equal("messaging-api", json.GetProperty("method").GetString());
        Assert.Equal(linkedAt, json.GetProperty("linkedAt").GetDateTimeOffset());
        Assert.False(json.TryGetProperty("linkId", out _));
    }

    [Fact]
    public async Task ByLineUser_Linked_Returns200WithTheLink()
    {
        SeedLink("alice");

        var result = await Function().ByLineUser(FunctionHttp.Get($"/links/line-users/{LineUserId}"), LineUserId);

        Assert.Equal("alice", FunctionHttp.Json(result).GetProperty("serviceUserId").GetString());
    }

    [Fact]
    public async Task ByServiceUser_NotLinked_Returns404()
    {
        var result = await Function().ByServiceUser(FunctionHttp.Get("/links/users/alice"), "alice");

        FunctionHttp.Problem(result, StatusCodes.Status404NotFound, "link-not-found");
    }

    [Fact]
    public async Task ByLineUser_NotLinked_Returns404()
    {
        var result = await Function().ByLineUser(FunctionHttp.Get($"/links/line-users/{LineUserId}"), LineUserId);

        FunctionHttp.Problem(result, StatusCodes.Status404NotFound, "link-not-found");
    }

    [Theory]
    [InlineData("")]
    [InlineData("alice smith")]
    [InlineData("alice/bob")]
    [InlineData("café")]
    [InlineData("alice\n")]
    [InlineData(".")]
    [InlineData("..")]
    public async Task ByServiceUser_InvalidId_Returns400WithoutReading(string serviceUserId)
    {
        var result = await Function().ByServiceUser(FunctionHttp.Get("/links/users/x"), serviceUserId);

        var detail = FunctionHttp.Problem(result, StatusCodes.Status400BadRequest, "invalid-service-user-id");
        Assert.Contains("serviceUserId", detail);
        Assert.Empty(links.Calls);
    }

    [Fact]
    public async Task ByServiceUser_129Characters_Returns400()
    {
        var result = await Function().ByServiceUser(FunctionHttp.Get("/links/users/x"), new string('a', 129));

        FunctionHttp.Problem(result, StatusCodes.Status400BadRequest, "invalid-service-user-id");
    }

    [Theory]
    [InlineData("U123")]
    [InlineData("U4AF4980629F4E5E0AA5E3C8F5B1B2C3D")]
    [InlineData("alice")]
    [InlineData("")]
    [InlineData("U4af4980629f4e5e0aa5e3c8f5b1b2c3d\n")]
    public async Task ByLineUser_InvalidId_Returns400WithoutReading(string lineUserId)
    {
        var result = await Function().ByLineUser(FunctionHttp.Get("/links/line-users/x"), lineUserId);

        var detail = FunctionHttp.Problem(result, StatusCodes.Status400BadRequest, "invalid-line-user-id");
        Assert.Contains("lineUserId", detail);
        Assert.Empty(links.Calls);
    }

    [Fact]
    public async Task ByServiceUser_StorageDown_Returns503()
    {
        var failing = new Mock<ILinkRepository>();
        failing.Setup(r => r.ReadAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new StorageException("read", 500));

        var result = await Function(failing.Object).ByServiceUser(FunctionHttp.Get("/links/users/alice"), "alice");

        FunctionHttp.Problem(result, StatusCodes.Status503ServiceUnavailable, "storage-unavailable");
    }

    [Fact]
    public async Task ByServiceUser_UnexpectedExceptionFromStorage_Returns503AndLogsItsTypeAtError()
    {
        var failing = new Mock<ILinkRepository>();
        failing.Setup(r => r.ReadAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new Azure.Identity.AuthenticationFailedException("token for alice refused"));

        var result = await Function(failing.Object).ByServiceUser(FunctionHttp.Get("/links/users/alice"), "alice");

        FunctionHttp.Problem(result, StatusCodes.Status503ServiceUnavailable, "dependency-failure");
        var log = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Error, log.Level);
        Assert.Contains(nameof(Azure.Identity.AuthenticationFailedException), log.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", log.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ByLineUser_UnexpectedExceptionFromStorage_Returns503()
    {
        var failing = new Mock<ILinkRepository>();
        failing.Setup(r => r.ReadAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new System.Text.Json.JsonException());

        var result = await Function(failing.Object).ByLineUser(FunctionHttp.Get($"/links/line-users/{LineUserId}"), LineUserId);

        FunctionHttp.Problem(result, StatusCodes.Status503ServiceUnavailable, "dependency-failure");
        Assert.Equal(LogLevel.Error, Assert.Single(logger.Collector.GetSnapshot()).Level);
    }
}
