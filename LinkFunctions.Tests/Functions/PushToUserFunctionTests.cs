using System.Text;
using LinkFunctions.Functions;
using LinkFunctions.Linking;
using LinkFunctions.Login;
using LinkFunctions.Messaging;
using LinkFunctions.Storage;
using LinkFunctions.Tests.LineApi;
using LinkFunctions.Tests.Linking;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LinkFunctions.Tests.Functions;

/// <summary>The request checks, which all answer 400 before the link is read or LINE is called.</summary>
public class PushToUserFunctionTests
{
    private const string LineUserId = "U4af4980629f4e5e0aa5e3c8f5b1b2c3d";
    private const string ServiceUserId = "alice";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ProviderKey provider = new("1234567890");
    private readonly InMemoryLinkRepository links = new();
    private readonly LineTestClients line;
    private readonly PushToUserFunction function;

    public PushToUserFunctionTests()
    {
        line = new LineTestClients(time);
        var reader = new LinkReader(links, provider, time, NullLogger<LinkReader>.Instance);
        var check = new LineLoginProviderCheck(reader, NullLogger<LineLoginProviderCheck>.Instance);
        function = new PushToUserFunction(
            new PushToUserService(reader, line.Client, check, NullLogger<PushToUserService>.Instance), NullLogger<PushToUserFunction>.Instance);
        var now = time.GetUtcNow();
        new LinkWriter(links, provider, time, NullLogger<LinkWriter>.Instance)
            .WriteAsync(new LinkRequest(LineUserId, ServiceUserId, "link-1", now.ToUnixTimeMilliseconds(), "messaging-api", now), default)
            .GetAwaiter().GetResult();
    }

    private static HttpRequest Request(string messages, string serviceUserId = ServiceUserId, string? retryKey = null)
    {
        var request = FunctionHttp.Post("/messages/push", $$"""{"serviceUserId":"{{serviceUserId}}","messages":{{messages}}}""");
        if (retryKey is not null)
        {
            request.Headers[PushToUserFunction.RetryKeyHeader] = retryKey;
        }

        return request;
    }

    private static string Text(int length) => $$"""[{"type":"text","text":"{{new string('a', length)}}"}]""";

    private static string Texts(int count) => "[" + string.Join(",", Enumerable.Repeat("""{"type":"text","text":"hi"}""", count)) + "]";

    private async Task AssertRefusedAsync(HttpRequest request, string type)
    {
        var result = await function.Run(request);

        FunctionHttp.Problem(result, 400, type);
        Assert.Empty(line.Handler.RequestsTo("/v2/bot/message/push"));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"type\":\"text\",\"text\":\"hi\"}")]
    [InlineData("null")]
    [InlineData("[\"hello\"]")]
    [InlineData("[{\"text\":\"no type\"}]")]
    [InlineData("[{\"type\":42}]")]
    [InlineData("[{\"type\":\"\"}]")]
    [InlineData("[{\"type\":\"text\"}]")]
    [InlineData("[{\"type\":\"text\",\"text\":\"\"}]")]
    [InlineData("[{\"type\":\"text\",\"text\":7}]")]
    public Task Run_InvalidMessages_BadRequest(string messages) => AssertRefusedAsync(Request(messages), "invalid-messages");

    [Fact]
    public Task Run_SixMessages_BadRequest() => AssertRefusedAsync(Request(Texts(6)), "invalid-messages");

    [Fact]
    public Task Run_Text5001Characters_BadRequest() => AssertRefusedAsync(Request(Text(5001)), "invalid-messages");

    [Fact]
    public async Task Run_TextOf2500SurrogatePairsAndOneMore_BadRequestCountingUtf16Units()
    {
        var emoji = string.Concat(Enumerable.Repeat("\\uD83D\\uDE00", 2500));

        await AssertRefusedAsync(Request($$"""[{"type":"text","text":"{{emoji}}a"}]"""), "invalid-messages");
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("has space")]
    public Task Run_InvalidServiceUserId_BadRequest(string serviceUserId) =>
        AssertRefusedAsync(Request(Texts(1), serviceUserId), "invalid-service-user-id");

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("123e4567e89b12d3a456426614174000")]
    [InlineData("{123e4567-e89b-12d3-a456-426614174000}")]
    public Task Run_RetryKeyNotAUuid_BadRequest(string retryKey) =>
        AssertRefusedAsync(Request(Texts(1), retryKey: retryKey), "invalid-retry-key");

    [Fact]
    public async Task Run_BodyOver64KiB_RefusedWith413()
    {
        var result = await function.Run(FunctionHttp.Post("/messages/push", Encoding.UTF8.GetBytes($$"""{"serviceUserId":"alice","messages":{{Text(70_000)}}}""")));

        FunctionHttp.Problem(result, 413, "body-too-large");
        Assert.Empty(line.Handler.RequestsTo("/v2/bot/message/push"));
    }

    [Theory]
    [InlineData(1, 5000)]
    [InlineData(5, 1)]
    public async Task Run_AtTheLimits_Pushes(int count, int length)
    {
        var messages = "[" + string.Join(",", Enumerable.Repeat($$"""{"type":"text","text":"{{new string('a', length)}}"}""", count)) + "]";

        var result = await function.Run(Request(messages));

        Assert.Equal(200, FunctionHttp.Status(result));
        Assert.Single(line.Handler.RequestsTo("/v2/bot/message/push"));
    }

    [Fact]
    public async Task Run_NonTextMessageWithoutText_PassedThrough()
    {
        var result = await function.Run(Request("""[{"type":"sticker","packageId":"446","stickerId":"1988"}]"""));

        Assert.Equal(200, FunctionHttp.Status(result));
        Assert.Contains("\"stickerId\":\"1988\"", Assert.Single(line.Handler.RequestsTo("/v2/bot/message/push")).Body, StringComparison.Ordinal);
    }
}
