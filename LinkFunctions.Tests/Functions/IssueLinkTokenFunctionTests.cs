using System.Net;
using System.Text;
using System.Text.Json;
using LinkFunctions.Functions;
using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using LinkFunctions.Login;
using LinkFunctions.Storage;
using LinkFunctions.Tests.LineApi;
using LinkFunctions.Tests.Linking;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Polly.Timeout;

namespace LinkFunctions.Tests.Functions;

public class IssueLinkTokenFunctionTests
{
    private const string LineUserId = "U4af4980629f4e5e0aa5e3c8f5b1b2c3d";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly ProviderKey provider = new("1234567890");
    private readonly Mock<ITransientRepository> transient = new();
    private readonly List<LinkTokenDocument> saved = [];
    private readonly LineTestClients line;
    private readonly FakeLogger<IssueLinkTokenFunction> logger = new();
    private readonly FakeLogger<LineLoginProviderCheck> providerLogger = new();
    private readonly InMemoryLinkRepository links = new();
    private readonly IssueLinkTokenFunction function;

    public IssueLinkTokenFunctionTests()
    {
        transient.Setup(t => t.SaveLinkTokenAsync(It.IsAny<LinkTokenDocument>(), It.IsAny<CancellationToken>()))
            .Callback((LinkTokenDocument d, CancellationToken _) => saved.Add(d))
            .Returns(Task.CompletedTask);
        line = new LineTestClients(time);
        function = Function(line);
    }

    private IssueLinkTokenFunction Function(LineTestClients clients)
    {
        var linking = Options.Create(new LinkingOptions { PublicBaseUrl = new Uri("https://links.example.com/") });
        var providerCheck = new LineLoginProviderCheck(new LinkReader(links, provider, time, NullLogger<LinkReader>.Instance), providerLogger);
        return new IssueLinkTokenFunction(new LinkTokenService(clients.Client, transient.Object, provider, linking, time), clients.Client, providerCheck, logger);
    }

    private IReadOnlyList<RecordedRequest> LineCalls => line.Handler.Requests.Where(r => r.Path != FakeLineHandler.TokenPath).ToList();

    [Fact]
    public async Task Run_ValidRequest_ReturnsTheTokenItsLinkingUrlAndExpiry()
    {
        var request = FunctionHttp.Post("/links/token", $$"""{"lineUserId":"{{LineUserId}}"}""");

        var result = await function.Run(request);

        Assert.Equal(200, FunctionHttp.Status(result));
        var json = FunctionHttp.Json(result);
        Assert.Equal(line.Handler.LinkToken, json.GetProperty("linkToken").GetString());
        Assert.Equal($"https://links.example.com/api/link?linkToken={line.Handler.LinkToken}", json.GetProperty("linkUrl").GetString());
        Assert.Equal(time.GetUtcNow() + LinkingPolicy.LinkTokenLifetime, json.GetProperty("expiresAt").GetDateTimeOffset());
        FunctionHttp.AssertNoStore(request);
    }

    [Fact]
    public async Task Run_ValidRequest_BindsTheTokenToTheLineUserByHash()
    {
        await function.Run(FunctionHttp.Post("/links/token", $$"""{"lineUserId":"{{LineUserId}}"}"""));

        var binding = Assert.Single(saved);
        Assert.Equal(provider.LinkToken(line.Handler.LinkToken), binding.Id);
        Assert.DoesNotContain(line.Handler.LinkToken, binding.Id);
        Assert.Equal(LineUserId, binding.LineUserId);
        Assert.Equal(time.GetUtcNow() + LinkingPolicy.LinkTokenLifetime, binding.ExpiresAt);
    }

    [Fact]
    public async Task Run_SendFalse_DoesNotPush()
    {
        await function.Run(FunctionHttp.Post("/links/token", $$"""{"lineUserId":"{{LineUserId}}","send":false}"""));

        Assert.Empty(line.Handler.RequestsTo("/v2/bot/message/push"));
        Assert.Single(line.Handler.RequestsTo($"/v2/bot/user/{LineUserId}/linkToken"));
    }

    [Fact]
    public async Task Run_SendTrue_PushesTheLinkingUrlWithARetryKey()
    {
        var result = await function.Run(FunctionHttp.Post("/links/token", $$"""{"lineUserId":"{{LineUserId}}","send":true}"""));

        Assert.Equal(200, FunctionHttp.Status(result));
        var push = Assert.Single(line.Handler.RequestsTo("/v2/bot/message/push"));
        Assert.True(Guid.TryParseExact(push.Headers["X-Line-Retry-Key"], "D", out _));
        var body = JsonDocument.Parse(push.Body!).RootElement;
        Assert.Equal(LineUserId, body.GetProperty("to").GetString());
        Assert.Contains($"https://links.example.com/api/link?linkToken={line.Handler.LinkToken}", body.GetProperty("messages")[0].GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"U4af4980629f4e5e0aa5e3c8f5b1b2c3d\"")]
    [InlineData("""{"lineUserId":5}""")]
    [InlineData("""{"lineUserId":"U4af4980629f4e5e0aa5e3c8f5b1b2c3d","send":"yes"}""")]
    [InlineData("""{"lineUserId":"U4af4980629f4e5e0aa5e3c8f5b1b2c3d"}{}""")]
    [InlineData("""{"lineUserId":"U4af4980629f4e5e0aa5e3c8f5b1b2c3d" """)]
    public async Task Run_NotTheExpectedJson_Returns400WithoutCallingLine(string body)
    {
        var result = await function.Run(FunctionHttp.Post("/links/token", body));

        FunctionHttp.Problem(result, StatusCodes.Status400BadRequest, "invalid-json");
        Assert.Empty(line.Handler.Requests);
    }

    [Fact]
    public async Task Run_InvalidJsonError_DoesNotEchoTheValue()
    {
        var result = await function.Run(FunctionHttp.Post("/links/token", """{"lineUserId":"U4af4980629f4e5e0aa5e3c8f5b1b2c3d","send":"very-secret-value"}"""));

        var detail = FunctionHttp.Problem(result, StatusCodes.Status400BadRequest, "invalid-json");
        Assert.DoesNotContain("very-secret-value", detail);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Run_BodyOver64KiB_Returns413(bool withContentLength)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"lineUserId":"{{LineUserId}}","pad":"{{new string('x', JsonRequestReader.MaxBytes)}}"}""");

        var result = await function.Run(FunctionHttp.Post("/links/token", body, withContentLength));

        FunctionHttp.Problem(result, StatusCodes.Status413PayloadTooLarge, "body-too-large");
        Assert.Empty(line.Handler.Requests);
    }

    [Fact]
    public async Task Run_BodyOf64KiB_IsRead()
    {
        var prefix = $$"""{"lineUserId":"{{LineUserId}}","pad":" """.TrimEnd();
        var body = prefix + new string('x', JsonRequestReader.MaxBytes - prefix.Length - 2) + "\"}";
        Assert.Equal(JsonRequestReader.MaxBytes, Encoding.UTF8.GetByteCount(body));

        var result = await function.Run(FunctionHttp.Post("/links/token", body));

        Assert.Equal(200, FunctionHttp.Status(result));
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"lineUserId":null}""")]
    [InlineData("""{"lineUserId":""}""")]
    [InlineData("""{"lineUserId":"U123"}""")]
    [InlineData("""{"lineUserId":"U4AF4980629F4E5E0AA5E3C8F5B1B2C3D"}""")]
    [InlineData("""{"lineUserId":"U4af4980629f4e5e0aa5e3c8f5b1b2c3d\n"}""")]
    [InlineData("""{"lineUserId":"alice"}""")]
    public async Task Run_InvalidLineUserId_Returns400NamingIt(string body)
    {
        var result = await function.Run(FunctionHttp.Post("/links/token", body));

        var detail = FunctionHttp.Problem(result, StatusCodes.Status400BadRequest, "invalid-line-user-id");
        Assert.Contains("lineUserId", detail);
        Assert.Empty(line.Handler.Requests);
    }

    [Fact]
    public async Task Run_PropertyNamesInAnotherCase_AreAccepted()
    {
        var result = await function.Run(FunctionHttp.Post("/links/token", $$"""{"LineUserId":"{{LineUserId}}"}"""));

        Assert.Equal(200, FunctionHttp.Status(result));
    }

    [Fact]
    public async Task Run_LineAnswers500_Returns502WithTheLineRequestId()
    {
        line.Handler.Respond("/linkToken", _ => FakeLineHandler.Json(HttpStatusCode.InternalServerError, "{}", "f6e5d4c3-req"));

        var result = await function.Run(FunctionHttp.Post("/links/token", $$"""{"lineUserId":"{{LineUserId}}"}"""));

        var detail = FunctionHttp.Problem(result, StatusCodes.Status502BadGateway, "line-api-error");
        Assert.Contains("f6e5d4c3-req", detail);
        Assert.Contains("500", detail);
        Assert.Empty(saved);
    }

    [Fact]
    public async Task Run_LineDoesNotAnswer_Returns502()
    {
        line.Handler.Respond("/linkToken", _ => throw new HttpRequestException("Connection refused"));

        var result = await function.Run(FunctionHttp.Post("/links/token", $$"""{"lineUserId":"{{LineUserId}}"}"""));

        FunctionHttp.Problem(result, StatusCodes.Status502BadGateway, "line-api-error");
    }

    [Fact]
    public async Task Run_LineAttemptsTimeOut_ReturnsADependencyProblemNotAnException()
    {
        // What the resilience handler throws once every attempt hit LineRetryPolicy.AttemptTimeout.
        line.Handler.Respond("/linkToken", _ => throw new TimeoutRejectedException("The operation didn't complete within the allowed timeout of '00:00:03'."));

        var result = await function.Run(FunctionHttp.Post("/links/token", $$"""{"lineUserId":"{{LineUserId}}"}"""));

        Assert.Contains(FunctionHttp.Status(result), new[] { StatusCodes.Status502BadGateway, StatusCodes.Status503ServiceUnavailable });
    }

    [Fact]
    public async Task Run_PushFailsAfterTheTokenWasIssued_Returns502()
    {
        line.Handler.Respond("/v2/bot/message/push", _ => FakeLineHandler.Json(HttpStatusCode.BadRequest, """{"message":"Failed to send messages"}""", "req-push"));

        var result = await function.Run(FunctionHttp.Post("/links/token", $$"""{"lineUserId":"{{LineUserId}}","send":true}"""));

        FunctionHttp.Problem(result, StatusCodes.Status502BadGateway, "line-api-error");
    }

    [Theory]
    [InlineData("line-login", HttpStatusCode.BadRequest, true)]
    [InlineData("line-login", HttpStatusCode.NotFound, true)]
    [InlineData("line-login", HttpStatusCode.InternalServerError, false)]
    [InlineData("messaging-api", HttpStatusCode.BadRequest, false)]
    public async Task Run_PushRefusedForALinkedUser_WarnsOfTheProviderOnlyForLineLoginLinks(string method, HttpStatusCode status, bool warns)
    {
        foreach (var id in new[] { provider.LineSide(LineUserId), provider.UserSide("member-1") })
        {
            links.Seed(new LinkDocument
            {
                Id = id, LineUserId = LineUserId, ServiceUserId = "member-1", LinkId = "link-1", Version = 1, State = LinkStates.Linked,
                Method = method, LinkedAt = time.GetUtcNow(), WrittenAt = time.GetUtcNow(),
            });
        }

        line.Handler.Respond("/v2/bot/message/push", _ => FakeLineHandler.Json(status, """{"message":"Failed to send messages"}""", "req-push"));

        var result = await function.Run(FunctionHttp.Post("/links/token", $$"""{"lineUserId":"{{LineUserId}}","send":true}"""));

        Assert.Equal(StatusCodes.Status502BadGateway, FunctionHttp.Status(result));
        var warning = providerLogger.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Warning).ToList();
        Assert.Equal(warns, warning.Count == 1);
        Assert.DoesNotContain(warning, r => r.Message.Contains(LineUserId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_StorageDown_Returns503()
    {
        transient.Setup(t => t.SaveLinkTokenAsync(It.IsAny<LinkTokenDocument>(), It.IsAny<CancellationToken>())).ThrowsAsync(new StorageException("upsert", 503));

        var result = await function.Run(FunctionHttp.Post("/links/token", $$"""{"lineUserId":"{{LineUserId}}"}"""));

        FunctionHttp.Problem(result, StatusCodes.Status503ServiceUnavailable, "storage-unavailable");
        Assert.Empty(line.Handler.RequestsTo("/v2/bot/message/push"));
    }

    [Fact]
    public async Task Run_LineReturnsATokenOutsideOurGrammar_Returns502AndStoresNothing()
    {
        line.Handler.LinkToken = "short";

        var result = await function.Run(FunctionHttp.Post("/links/token", $$"""{"lineUserId":"{{LineUserId}}"}"""));

        FunctionHttp.Problem(result, StatusCodes.Status502BadGateway, "line-api-error");
        Assert.Empty(saved);
        Assert.DoesNotContain(LineCalls, c => c.Path.EndsWith("/push", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"linkToken":5}""")]
    public async Task Run_LineAnswersMalformedJson_Returns503AndLogsOnlyTheTypeAtError(string answer)
    {
        line.Handler.Respond("/linkToken", _ => FakeLineHandler.Json(HttpStatusCode.OK, answer, "req-malformed"));

        var result = await function.Run(FunctionHttp.Post("/links/token", $$"""{"lineUserId":"{{LineUserId}}"}"""));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, FunctionHttp.Status(result));
        var log = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Error, log.Level);
        Assert.Contains(nameof(JsonException), log.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(LineUserId, log.Message, StringComparison.Ordinal);
        Assert.Empty(saved);
    }

    [Fact]
    public async Task Run_CredentialFailureFetchingTheChannelSecret_Returns503()
    {
        var secrets = new Mock<LinkFunctions.Secrets.IChannelSecretSource>();
        secrets.SetupGet(s => s.CanRefetch).Returns(true);
        secrets.Setup(s => s.FetchAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new Azure.Identity.AuthenticationFailedException("ManagedIdentityCredential authentication failed"));

        var result = await Function(new LineTestClients(time, secrets: secrets.Object))
            .Run(FunctionHttp.Post("/links/token", $$"""{"lineUserId":"{{LineUserId}}"}"""));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, FunctionHttp.Status(result));
        Assert.StartsWith("application/problem+json", Assert.IsType<Microsoft.AspNetCore.Mvc.ContentResult>(result).ContentType);
        Assert.Empty(saved);
    }
}
