using System.Net;
using LinkFunctions.LineApi;
using LinkFunctions.Linking;
using LinkFunctions.Login;
using LinkFunctions.Storage;
using LinkFunctions.Tests.Linking;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LinkFunctions.Tests.Login;

public class LineLoginProviderCheckTests
{
    private const string LineUser = "U0123456789abcdef0123456789abcdef";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ProviderKey provider = new("1234567890");
    private readonly InMemoryLinkRepository links = new();
    private readonly FakeLogger<LineLoginProviderCheck> logger = new();

    private async Task<LineLoginProviderCheck> LinkedByAsync(string method)
    {
        var now = time.GetUtcNow();
        await new LinkWriter(links, provider, time, NullLogger<LinkWriter>.Instance)
            .WriteAsync(new LinkRequest(LineUser, "alice", "link-1", now.ToUnixTimeMilliseconds(), method, now), default);
        return new LineLoginProviderCheck(new LinkReader(links, provider, time, NullLogger<LinkReader>.Instance), logger);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task ObserveAsync_PushRefusedForLineLoginUser_WarnsWithHashedId(HttpStatusCode status)
    {
        var check = await LinkedByAsync(LoginPolicy.Method);

        Assert.True(await check.ObserveAsync(LineUser, new LineApiException("push", status, "req-1"), default));

        var warning = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("same provider", warning.Message, StringComparison.Ordinal);
        Assert.Contains(LogIds.Hash(LineUser), warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(LineUser, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ObserveAsync_MessagingApiLink_NoWarning()
    {
        var check = await LinkedByAsync("messaging-api");

        Assert.False(await check.ObserveAsync(LineUser, new LineApiException("push", HttpStatusCode.NotFound, null), default));
        Assert.Empty(logger.Collector.GetSnapshot());
    }

    [Fact]
    public async Task ObserveAsync_ServerError_NoWarning()
    {
        var check = await LinkedByAsync(LoginPolicy.Method);

        Assert.False(await check.ObserveAsync(LineUser, new LineApiException("push", HttpStatusCode.InternalServerError, null), default));
        Assert.Empty(logger.Collector.GetSnapshot());
    }
}
