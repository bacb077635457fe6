using System.Net;
using System.Text.Json;
using LinkFunctions.LineApi;
using Microsoft.Extensions.Time.Testing;

namespace LinkFunctions.Tests.LineApi;

public class LineMessagingClientTests
{
    private const string LineUserId = "U4af4980629f4e5e0aa5e3c8f5b1b2c3d";
    private const string AccessToken = "eyJhbGciOiJIUzI1NiJ9.very-secret-access-token";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly LineTestClients line;

    public LineMessagingClientTests()
    {
        line = new LineTestClients(time);
        line.Handler.Respond(FakeLineHandler.TokenPath, _ =>
            FakeLineHandler.Json(HttpStatusCode.OK, $$"""{"access_token":"{{AccessToken}}","expires_in":900,"token_type":"Bearer"}"""));
    }

    private static IReadOnlyList<TextMessage> Hello => [new TextMessage("hello")];

    [Fact]
    public async Task IssueLinkTokenAsync_Ok_ReturnsTheLinkTokenFromTheUsersEndpoint()
    {
        var token = await line.Client.IssueLinkTokenAsync(LineUserId, CancellationToken.None);

        Assert.Equal(line.Handler.LinkToken, token);
        var request = Assert.Single(line.Handler.RequestsTo($"/v2/bot/user/{LineUserId}/linkToken"));
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal($"Bearer {AccessToken}", request.Authorization);
    }

    [Fact]
    public async Task IssueLinkTokenAsync_EmptyToken_ThrowsLineApiException()
    {
        line.Handler.Respond("/linkToken", _ => FakeLineHandler.Json(HttpStatusCode.OK, """{"linkToken":""}""", "req-empty"));

        var ex = await Assert.ThrowsAsync<LineApiException>(() => line.Client.IssueLinkTokenAsync(LineUserId, CancellationToken.None));

        Assert.Equal("req-empty", ex.RequestId);
    }

    [Fact]
    public async Task Calls_Several_IssueTheAccessTokenOnceAndSendItEachTime()
    {
        await line.Client.IssueLinkTokenAsync(LineUserId, CancellationToken.None);
        await line.Client.ReplyAsync("reply-token", Hello, CancellationToken.None);
        await line.Client.PushAsync(LineUserId, Hello, Guid.NewGuid(), CancellationToken.None);

        Assert.Equal(1, line.Handler.TokenRequests);
        var calls = line.Handler.Requests.Where(r => r.Path != FakeLineHandler.TokenPath).ToList();
        Assert.Equal(3, calls.Count);
        Assert.All(calls, r => Assert.Equal($"Bearer {AccessToken}", r.Authorization));
    }

    [Fact]
    public async Task PushAsync_Always_SendsTheRetryKeyAsAUuid()
    {
        var key = Guid.NewGuid();

        await line.Client.PushAsync(LineUserId, Hello, key, CancellationToken.None);

        var request = Assert.Single(line.Handler.RequestsTo("/v2/bot/message/push"));
        var header = request.Headers["X-Line-Retry-Key"];
        Assert.True(Guid.TryParseExact(header, "D", out var parsed), header);
        Assert.Equal(key, parsed);
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", header);
        Assert.False(request.NoRetry);
    }

    [Fact]
    public async Task PushAsync_Always_SendsToAndTextMessages()
    {
        await line.Client.PushAsync(LineUserId, Hello, Guid.NewGuid(), CancellationToken.None);

        var body = JsonDocument.Parse(Assert.Single(line.Handler.RequestsTo("/v2/bot/message/push")).Body!).RootElement;
        Assert.Equal(LineUserId, body.GetProperty("to").GetString());
        var message = Assert.Single(body.GetProperty("messages").EnumerateArray().ToList());
        Assert.Equal("text", message.GetProperty("type").GetString());
        Assert.Equal("hello", message.GetProperty("text").GetString());
    }

    [Fact]
    public async Task PushAsync_RetryKeyAlreadyAccepted409_CountsAsDelivered()
    {
        line.Handler.Respond("/v2/bot/message/push", _ =>
            FakeLineHandler.Json(HttpStatusCode.Conflict, """{"message":"The retry key is already accepted","sentMessages":[]}""", "req-409"));

        var exception = await Record.ExceptionAsync(() => line.Client.PushAsync(LineUserId, Hello, Guid.NewGuid(), CancellationToken.None));

        Assert.Null(exception);
    }

    [Fact]
    public async Task PushAsync_RawMessages_SendsThemUnchangedAndReturnsTheSentMessages()
    {
        using var messages = JsonDocument.Parse("""[{"type":"sticker","packageId":"446","stickerId":"1988"}]""");
        line.Handler.Respond("/v2/bot/message/push", _ =>
            FakeLineHandler.Json(HttpStatusCode.OK, """{"sentMessages":[{"id":"461230966842064897","quoteToken":"q1"}]}"""));
        var key = Guid.NewGuid();

        var sent = await line.Client.PushAsync(LineUserId, messages.RootElement, key, CancellationToken.None);

        Assert.Equal([new SentMessage("461230966842064897", "q1")], sent);
        var push = Assert.Single(line.Handler.RequestsTo("/v2/bot/message/push"));
        Assert.Equal(key.ToString("D"), push.Headers["X-Line-Retry-Key"]);
        using var body = JsonDocument.Parse(push.Body!);
        Assert.Equal(LineUserId, body.RootElement.GetProperty("to").GetString());
        Assert.Equal(messages.RootElement.ToString(), body.RootElement.GetProperty("messages").ToString());
    }

    [Fact]
    public async Task PushAsync_RawMessagesRetryKeyAlreadyAccepted409_ReturnsTheOriginalSentMessages()
    {
        using var messages = JsonDocument.Parse("""[{"type":"text","text":"hi"}]""");
        line.Handler.Respond("/v2/bot/message/push", _ => FakeLineHandler.Json(
            HttpStatusCode.Conflict, """{"message":"The retry key is already accepted","sentMessages":[{"id":"1","quoteToken":"q"}]}""", "req-409"));

        var sent = await line.Client.PushAsync(LineUserId, messages.RootElement, Guid.NewGuid(), CancellationToken.None);

        Assert.Equal([new SentMessage("1", "q")], sent);
    }

    [Fact]
    public async Task PushAsync_RawMessagesAcceptedWithAnUnreadableBody_ReturnsNoSentMessagesInsteadOfFailing()
    {
        using var messages = JsonDocument.Parse("""[{"type":"text","text":"hi"}]""");
        line.Handler.Respond("/v2/bot/message/push", _ => FakeLineHandler.Json(HttpStatusCode.OK, "not json"));

        Assert.Empty(await line.Client.PushAsync(LineUserId, messages.RootElement, Guid.NewGuid(), CancellationToken.None));
    }

    [Fact]
    public async Task ReplyAsync_Always_MarksTheRequestNoRetryAndSendsNoRetryKey()
    {
        await line.Client.ReplyAsync("b60d432864f44d079f6d8efe86cf404b", Hello, CancellationToken.None);

        var request = Assert.Single(line.Handler.RequestsTo("/v2/bot/message/reply"));
        Assert.True(request.NoRetry);
        Assert.False(request.Headers.ContainsKey("X-Line-Retry-Key"));
        var body = JsonDocument.Parse(request.Body!).RootElement;
        Assert.Equal("b60d432864f44d079f6d8efe86cf404b", body.GetProperty("replyToken").GetString());
        Assert.Equal("hello", body.GetProperty("messages")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task ReplyAsync_Conflict_Throws()
    {
        line.Handler.Respond("/v2/bot/message/reply", _ => FakeLineHandler.Json(HttpStatusCode.Conflict, "{}", "req-409"));

        var ex = await Assert.ThrowsAsync<LineApiException>(() => line.Client.ReplyAsync("r", Hello, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Conflict, ex.Status);
    }

    [Fact]
    public async Task ReplyAsync_Unauthorized_InvalidatesTheCachedToken()
    {
        var calls = 0;
        line.Handler.Respond("/v2/bot/message/reply", _ => Interlocked.Increment(ref calls) == 1
            ? FakeLineHandler.Json(HttpStatusCode.Unauthorized, """{"message":"Authentication failed"}""", "req-401")
            : FakeLineHandler.Json(HttpStatusCode.OK, "{}"));

        await Assert.ThrowsAsync<LineApiException>(() => line.Client.ReplyAsync("r1", Hello, CancellationToken.None));
        await line.Client.ReplyAsync("r2", Hello, CancellationToken.None);

        Assert.Equal(2, line.Handler.TokenRequests);
    }

    [Fact]
    public async Task ReplyAsync_Forbidden_KeepsTheCachedToken()
    {
        line.Handler.Respond("/v2/bot/message/reply", _ => FakeLineHandler.Json(HttpStatusCode.Forbidden, "{}", "req-403"));

        await Assert.ThrowsAsync<LineApiException>(() => line.Client.ReplyAsync("r1", Hello, CancellationToken.None));
        await Assert.ThrowsAsync<LineApiException>(() => line.Client.ReplyAsync("r2", Hello, CancellationToken.None));

        Assert.Equal(1, line.Handler.TokenRequests);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.InternalServerError)]
    public async Task PushAsync_NonSuccess_ThrowsWithStatusAndLineRequestId(HttpStatusCode status)
    {
        line.Handler.Respond("/v2/bot/message/push", _ => FakeLineHandler.Json(status, """{"message":"Failed to send messages"}""", "0d1e2f3a-request-id"));

        var ex = await Assert.ThrowsAsync<LineApiException>(() => line.Client.PushAsync(LineUserId, Hello, Guid.NewGuid(), CancellationToken.None));

        Assert.Equal(status, ex.Status);
        Assert.Equal("0d1e2f3a-request-id", ex.RequestId);
        Assert.Contains("0d1e2f3a-request-id", ex.Message);
        Assert.Contains(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message);
    }

    [Fact]
    public async Task IssueLinkTokenAsync_Unauthorized_ExceptionNeverCarriesTheTokenOrTheSecret()
    {
        line.Handler.Respond("/linkToken", _ =>
            FakeLineHandler.Json(HttpStatusCode.Unauthorized, $$"""{"message":"invalid token {{AccessToken}}"}""", "req-401"));

        var ex = await Assert.ThrowsAsync<LineApiException>(() => line.Client.IssueLinkTokenAsync(LineUserId, CancellationToken.None));

        Assert.DoesNotContain(AccessToken, ex.ToString());
        Assert.DoesNotContain(LineTestClients.ChannelSecret, ex.ToString());
        Assert.DoesNotContain(LineUserId, ex.Message);
    }

    [Fact]
    public async Task ReplyAsync_NoAnswer_ThrowsLineApiExceptionWithoutStatus()
    {
        line.Handler.Respond("/v2/bot/message/reply", _ => throw new HttpRequestException("Connection refused (api.line.me:443)"));

        var ex = await Assert.ThrowsAsync<LineApiException>(() => line.Client.ReplyAsync("r", Hello, CancellationToken.None));

        Assert.Null(ex.Status);
        Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.DoesNotContain(AccessToken, ex.ToString());
    }

    [Fact]
    public async Task IssueLinkTokenAsync_UserIdWithReservedCharacters_IsEscapedIntoOnePathSegment()
    {
        await line.Client.IssueLinkTokenAsync("U1/../x", CancellationToken.None);

        Assert.Single(line.Handler.RequestsTo("/v2/bot/user/U1%2F..%2Fx/linkToken"));
    }
}
