using System.Net;
using System.Text.Json;
using LinkFunctions.Functions;
using LinkFunctions.Linking;
using LinkFunctions.Login;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Tests.EndToEnd;

/// <summary>PushToUser through the real function, link reader (local Cosmos) and LINE client (LINE fake over HTTP).</summary>
[Collection(CosmosCollection.Name)]
public sealed class PushFlowTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    private const string Hello = """[{"type":"text","text":"Your order has shipped."},{"type":"sticker","packageId":"446","stickerId":"1988"}]""";

    private readonly CapturingLoggerProvider logs = new();

    protected override void ConfigureServices(IServiceCollection services) => logs.AddTo(services);

    private async Task<(string LineUserId, string ServiceUserId)> LinkedAsync(string method = "messaging-api")
    {
        var (lineUserId, serviceUserId) = (WebhookBodies.NewLineUserId(), $"customer-{Guid.NewGuid():N}");
        var now = DateTimeOffset.UtcNow;
        await App.Get<LinkWriter>().WriteAsync(
            new LinkRequest(lineUserId, serviceUserId, Guid.NewGuid().ToString("N"), now.ToUnixTimeMilliseconds(), method, now), default);
        return (lineUserId, serviceUserId);
    }

    private Task<Microsoft.AspNetCore.Mvc.IActionResult> PushAsync(string serviceUserId, string messages = Hello, string? retryKey = null) =>
        App.Function<PushToUserFunction>().Run(Request(serviceUserId, messages, retryKey));

    private static HttpRequest Request(string serviceUserId, string messages = Hello, string? retryKey = null) =>
        HttpRequests.Post("/api/messages/push", System.Text.Encoding.UTF8.GetBytes($$"""{"serviceUserId":"{{serviceUserId}}","messages":{{messages}}}"""),
            retryKey is null ? null : new Dictionary<string, string> { [PushToUserFunction.RetryKeyHeader] = retryKey });

    [Fact]
    public async Task Run_LinkedUser_PushesTheMessagesToItsLineUserWithTheCallersRetryKey()
    {
        var (lineUserId, serviceUserId) = await LinkedAsync();
        var retryKey = Guid.NewGuid().ToString("D");

        var result = await PushAsync(serviceUserId, retryKey: retryKey);

        Assert.Equal(200, HttpRequests.Status(result));
        var push = Assert.Single(Line.CallsTo("/v2/bot/message/push"));
        Assert.Equal(retryKey, push.RetryKey);
        using var sent = JsonDocument.Parse(push.Body);
        Assert.Equal(lineUserId, sent.RootElement.GetProperty("to").GetString());
        Assert.Equal(JsonDocument.Parse(Hello).RootElement.ToString(), sent.RootElement.GetProperty("messages").ToString());
        using var answer = JsonDocument.Parse(HttpRequests.Content(result));
        Assert.Equal(retryKey, answer.RootElement.GetProperty("retryKey").GetString());
        Assert.Equal(2, answer.RootElement.GetProperty("sentMessages").GetArrayLength());
        Assert.DoesNotContain(logs.Entries, e => e.Text.Contains(serviceUserId, StringComparison.Ordinal) || e.Text.Contains(lineUserId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_NoRetryKeyHeader_GeneratesOneAndReturnsIt()
    {
        var (_, serviceUserId) = await LinkedAsync();
        var request = Request(serviceUserId);

        var result = await App.Function<PushToUserFunction>().Run(request);

        Assert.Equal(200, HttpRequests.Status(result));
        var key = JsonDocument.Parse(HttpRequests.Content(result)).RootElement.GetProperty("retryKey").GetString();
        Assert.True(Guid.TryParseExact(key, "D", out _));
        Assert.Equal(key, Assert.Single(Line.CallsTo("/v2/bot/message/push")).RetryKey);
        Assert.Equal(key, request.HttpContext.Response.Headers[PushToUserFunction.RetryKeyHeader].ToString());
    }

    [Fact]
    public async Task Run_UnlinkedUser_NotFoundWithoutCallingLine()
    {
        var result = await PushAsync($"nobody-{Guid.NewGuid():N}");

        Assert.Equal(404, HttpRequests.Status(result));
        Assert.Contains("link-not-found", HttpRequests.Content(result), StringComparison.Ordinal);
        Assert.Empty(Line.CallsTo("/v2/bot/message/push"));
    }

    [Fact]
    public async Task Run_SameRetryKeyTwice_SecondAnsweredByLine409IsOkWithTheOriginalMessages()
    {
        var (_, serviceUserId) = await LinkedAsync();
        var retryKey = Guid.NewGuid().ToString("D");

        var first = await PushAsync(serviceUserId, retryKey: retryKey);
        var second = await PushAsync(serviceUserId, retryKey: retryKey);

        Assert.Equal(200, HttpRequests.Status(first));
        Assert.Equal(200, HttpRequests.Status(second));
        Assert.All(Line.CallsTo("/v2/bot/message/push"), call => Assert.Equal(retryKey, call.RetryKey));
        Assert.Equal(2, Line.CallsTo("/v2/bot/message/push").Count);
        Assert.Equal(
            JsonDocument.Parse(HttpRequests.Content(first)).RootElement.GetProperty("sentMessages").ToString(),
            JsonDocument.Parse(HttpRequests.Content(second)).RootElement.GetProperty("sentMessages").ToString());
    }

    [Fact]
    public async Task Run_LineServerErrorThenSuccess_RetriesWithTheSameKeyAndAnswersOk()
    {
        var (_, serviceUserId) = await LinkedAsync();
        var attempts = 0;
        Line.Intercept = call => call.Path.EndsWith("/push", StringComparison.Ordinal) && Interlocked.Increment(ref attempts) == 1
            ? HttpStatusCode.InternalServerError : null;
        var retryKey = Guid.NewGuid().ToString("D");

        var result = await PushAsync(serviceUserId, retryKey: retryKey);

        Assert.Equal(200, HttpRequests.Status(result));
        var calls = Line.CallsTo("/v2/bot/message/push");
        Assert.Equal(2, calls.Count);
        Assert.All(calls, call => Assert.Equal(retryKey, call.RetryKey));
    }

    [Fact]
    public async Task Run_LineRateLimited_TooManyRequestsProblemWithLineRequestId()
    {
        var (_, serviceUserId) = await LinkedAsync();
        Line.Intercept = call => call.Path.EndsWith("/push", StringComparison.Ordinal) ? HttpStatusCode.TooManyRequests : null;

        var result = await PushAsync(serviceUserId);

        var body = HttpRequests.Content(result);
        Assert.Equal(429, HttpRequests.Status(result));
        Assert.Contains("line-rate-limited", body, StringComparison.Ordinal);
        Assert.Contains("monthly", body, StringComparison.Ordinal);
        Assert.Contains("x-line-request-id", body, StringComparison.Ordinal);
        Assert.DoesNotContain(LineFake.AccessToken, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_LineServerErrorEveryTime_BadGatewayNeverInternalError()
    {
        var (_, serviceUserId) = await LinkedAsync();
        Line.Intercept = call => call.Path.EndsWith("/push", StringComparison.Ordinal) ? HttpStatusCode.InternalServerError : null;

        var result = await PushAsync(serviceUserId);

        Assert.Equal(502, HttpRequests.Status(result));
        Assert.Equal(1 + LinkFunctions.LineApi.LineRetryPolicy.MaxRetryAttempts, Line.CallsTo("/v2/bot/message/push").Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task Run_LineRefusesWithClientError_BadGateway(HttpStatusCode status)
    {
        var (_, serviceUserId) = await LinkedAsync();
        Line.Intercept = call => call.Path.EndsWith("/push", StringComparison.Ordinal) ? status : null;

        var result = await PushAsync(serviceUserId);

        Assert.Equal(502, HttpRequests.Status(result));
        Assert.Contains("line-api-error", HttpRequests.Content(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_LineRefuses400ForLineLoginLink_WarnsAboutTheProviderPrerequisite()
    {
        var (lineUserId, serviceUserId) = await LinkedAsync(LoginPolicy.Method);
        Line.Intercept = call => call.Path.EndsWith("/push", StringComparison.Ordinal) ? HttpStatusCode.BadRequest : null;

        var result = await PushAsync(serviceUserId);

        Assert.Equal(502, HttpRequests.Status(result));
        var warning = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning && e.Text.Contains("same provider", StringComparison.Ordinal));
        Assert.Contains(LogIds.Hash(lineUserId), warning.Text, StringComparison.Ordinal);
    }
}
