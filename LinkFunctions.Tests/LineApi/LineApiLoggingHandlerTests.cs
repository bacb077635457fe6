using System.Net;
using LinkFunctions.LineApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace LinkFunctions.Tests.LineApi;

public class LineApiLoggingHandlerTests
{
    private const string LineUserId = "U4af4980629f4e5e0aa5e3c8f5b1b2c3d";

    [Fact]
    public async Task SendAsync_Answered_LogsEndpointStatusAndRequestIdButNoUrlOrHeader()
    {
        var logger = new FakeLogger<LineApiLoggingHandler>();
        var inner = new FakeLineHandler();
        inner.Respond("/linkToken", _ => FakeLineHandler.Json(HttpStatusCode.BadRequest, "{}", "req-abc-123"));
        using var invoker = new HttpMessageInvoker(new LineApiLoggingHandler(logger) { InnerHandler = inner });
        using var request = LineRequest.Create(HttpMethod.Post, $"https://api.line.me/v2/bot/user/{LineUserId}/linkToken", "issue link token");
        request.Headers.Authorization = new("Bearer", "secret-access-token");

        using var response = await invoker.SendAsync(request, CancellationToken.None);

        var record = logger.LatestRecord;
        Assert.Equal(LogLevel.Information, record.Level);
        Assert.Contains("issue link token", record.Message);
        Assert.Contains("400", record.Message);
        Assert.Contains("req-abc-123", record.Message);
        Assert.DoesNotContain(LineUserId, record.Message);
        Assert.DoesNotContain("secret-access-token", record.Message);
    }

    [Fact]
    public async Task SendAsync_NoAnswer_LogsAWarningAndRethrows()
    {
        var logger = new FakeLogger<LineApiLoggingHandler>();
        var inner = new FakeLineHandler();
        inner.Respond("/reply", _ => throw new HttpRequestException($"No route to https://api.line.me/v2/bot/user/{LineUserId}"));
        using var invoker = new HttpMessageInvoker(new LineApiLoggingHandler(logger) { InnerHandler = inner });
        using var request = LineRequest.Create(HttpMethod.Post, "https://api.line.me/v2/bot/message/reply", "reply", retry: false);

        await Assert.ThrowsAsync<HttpRequestException>(() => invoker.SendAsync(request, CancellationToken.None));

        var record = logger.LatestRecord;
        Assert.Equal(LogLevel.Warning, record.Level);
        Assert.Contains("reply", record.Message);
        Assert.DoesNotContain(LineUserId, record.Message);
    }
}
