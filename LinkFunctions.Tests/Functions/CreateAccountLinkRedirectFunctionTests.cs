using System.Text;
using LinkFunctions.Functions;
using LinkFunctions.Hosting;
using LinkFunctions.LineApi;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace LinkFunctions.Tests.Functions;

public class CreateAccountLinkRedirectFunctionTests
{
    private const string LinkToken = "NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY";
    private const string LineUserId = "U4af4980629f4e5e0aa5e3c8f5b1b2c3d";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly ProviderKey provider = new("1234567890");
    private readonly Mock<ITransientRepository> transient = new();
    private readonly List<NonceDocument> createdNonces = [];
    private readonly FakeLogger<CreateAccountLinkRedirectFunction> logger = new();
    private readonly CreateAccountLinkRedirectFunction function;

    public CreateAccountLinkRedirectFunctionTests()
    {
        transient.Setup(t => t.CreateNonceAsync(It.IsAny<NonceDocument>(), It.IsAny<CancellationToken>()))
            .Callback((NonceDocument n, CancellationToken _) => createdNonces.Add(n))
            .ReturnsAsync(WriteOutcome.Ok);
        function = new CreateAccountLinkRedirectFunction(
            new AccountLinkRedirectService(
                transient.Object, provider, Options.Create(new LineOptions { ChannelId = "1234567890" }), time, NullLogger<AccountLinkRedirectService>.Instance),
            logger);
    }

    private void KnownLinkToken(DateTimeOffset? expiresAt = null) =>
        transient.Setup(t => t.ReadLinkTokenAsync(provider.LinkToken(LinkToken), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Stored<LinkTokenDocument>(
                new LinkTokenDocument { Id = provider.LinkToken(LinkToken), LineUserId = LineUserId, ExpiresAt = expiresAt ?? time.GetUtcNow() + TimeSpan.FromMinutes(5), Ttl = 4200 },
                "\"lt\""));

    private static HttpRequest Request(string linkToken = LinkToken, string serviceUserId = "alice") =>
        FunctionHttp.Post("/links/nonce", $$"""{"linkToken":"{{linkToken}}","serviceUserId":"{{serviceUserId}}"}""");

    [Fact]
    public async Task Run_KnownLinkToken_ReturnsLinesAccountLinkUrlWithAFreshNonce()
    {
        KnownLinkToken();
        var request = Request();

        var result = await function.Run(request);

        Assert.Equal(200, FunctionHttp.Status(result));
        var json = FunctionHttp.Json(result);
        var url = new Uri(json.GetProperty("redirectUrl").GetString()!);
        Assert.Equal("https://access.line.me/dialog/bot/accountLink", url.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(url.Query);
        Assert.Equal(LinkToken, query["linkToken"].ToString());
        Assert.True(Identifiers.IsNonce(query["nonce"].ToString()));
        Assert.Equal(time.GetUtcNow() + LinkingPolicy.NonceLifetime, json.GetProperty("expiresAt").GetDateTimeOffset());
        FunctionHttp.AssertNoStore(request);
    }

    [Fact]
    public async Task Run_KnownLinkToken_StoresAPendingNonceBoundToBothUsers()
    {
        KnownLinkToken();

        var result = await function.Run(Request(serviceUserId: "auth0|5f7c8ec7c33c6c004bbafe82"));

        var nonce = QueryHelpers.ParseQuery(new Uri(FunctionHttp.Json(result).GetProperty("redirectUrl").GetString()!).Query)["nonce"].ToString();
        var stored = Assert.Single(createdNonces);
        Assert.Equal(provider.Nonce(nonce), stored.Id);
        Assert.Equal("auth0|5f7c8ec7c33c6c004bbafe82", stored.ServiceUserId);
        Assert.Equal(LineUserId, stored.ExpectedLineUserId);
        Assert.Equal(NonceStates.Pending, stored.Status);
        Assert.Null(stored.ConsumedByEventId);
        Assert.Equal(time.GetUtcNow() + LinkingPolicy.NonceLifetime, stored.ExpiresAt);
        Assert.True(stored.Ttl >= (LinkingPolicy.NonceLifetime + LinkingPolicy.DedupeWindow).TotalSeconds);
    }

    [Fact]
    public async Task Run_LinkTokenClaimedByTheSameUser_ReturnsTheClaimedNonceWithoutANewOne()
    {
        KnownLinkToken();
        ClaimedBy("alice", "0123456789abcdefghijABCDEFGHIJ-_0123456789a");

        var result = await function.Run(Request(serviceUserId: "alice"));

        var url = new Uri(FunctionHttp.Json(result).GetProperty("redirectUrl").GetString()!);
        Assert.Equal("0123456789abcdefghijABCDEFGHIJ-_0123456789a", QueryHelpers.ParseQuery(url.Query)["nonce"].ToString());
        Assert.Empty(createdNonces);
    }

    [Fact]
    public async Task Run_LinkTokenClaimedByAnotherUser_Returns409WithoutANonce()
    {
        KnownLinkToken();
        ClaimedBy("mallory", "0123456789abcdefghijABCDEFGHIJ-_0123456789a");

        var result = await function.Run(Request(serviceUserId: "alice"));

        var detail = FunctionHttp.Problem(result, StatusCodes.Status409Conflict, "link-token-claimed");
        Assert.DoesNotContain("mallory", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdefghij", Assert.IsType<ContentResult>(result).Content!, StringComparison.Ordinal);
        Assert.Empty(createdNonces);
    }

    private void ClaimedBy(string serviceUserId, string nonce) =>
        transient.Setup(t => t.ReadLinkClaimAsync(provider.LinkClaim(LinkToken), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Stored<LinkClaimDocument>(
                new LinkClaimDocument
                {
                    Id = provider.LinkClaim(LinkToken), ServiceUserId = serviceUserId, Nonce = nonce,
                    NonceExpiresAt = time.GetUtcNow() + TimeSpan.FromMinutes(8), ExpiresAt = time.GetUtcNow() + TimeSpan.FromMinutes(5), Ttl = 4200,
                },
                "\"claim\""));

    [Fact]
    public async Task Run_UnknownLinkToken_Returns404()
    {
        var result = await function.Run(Request());

        FunctionHttp.Problem(result, StatusCodes.Status404NotFound, "link-token-not-found");
        Assert.Empty(createdNonces);
    }

    [Fact]
    public async Task Run_ExpiredLinkToken_Returns404()
    {
        KnownLinkToken(expiresAt: time.GetUtcNow() - TimeSpan.FromMilliseconds(1));

        var result = await function.Run(Request());

        FunctionHttp.Problem(result, StatusCodes.Status404NotFound, "link-token-not-found");
        Assert.Empty(createdNonces);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("""{"linkToken":123,"serviceUserId":"alice"}""")]
    [InlineData("""{"linkToken":"NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY","serviceUserId":"alice"},""")]
    public async Task Run_NotTheExpectedJson_Returns400(string body)
    {
        var result = await function.Run(FunctionHttp.Post("/links/nonce", body));

        FunctionHttp.Problem(result, StatusCodes.Status400BadRequest, "invalid-json");
        Assert.Empty(transient.Invocations);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Run_BodyOver64KiB_Returns413(bool withContentLength)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"linkToken":"{{LinkToken}}","serviceUserId":"alice","pad":"{{new string('x', JsonRequestReader.MaxBytes)}}"}""");

        var result = await function.Run(FunctionHttp.Post("/links/nonce", body, withContentLength));

        FunctionHttp.Problem(result, StatusCodes.Status413PayloadTooLarge, "body-too-large");
        Assert.Empty(transient.Invocations);
    }

    [Theory]
    [InlineData("""{"serviceUserId":"alice"}""")]
    [InlineData("""{"linkToken":"short","serviceUserId":"alice"}""")]
    [InlineData("""{"linkToken":"NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5E=","serviceUserId":"alice"}""")]
    [InlineData("""{"linkToken":"NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY\n","serviceUserId":"alice"}""")]
    public async Task Run_InvalidLinkToken_Returns400NamingIt(string body)
    {
        var result = await function.Run(FunctionHttp.Post("/links/nonce", body));

        var detail = FunctionHttp.Problem(result, StatusCodes.Status400BadRequest, "invalid-link-token");
        Assert.Contains("linkToken", detail);
        Assert.Empty(transient.Invocations);
    }

    [Theory]
    [InlineData("""{"linkToken":"NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY"}""")]
    [InlineData("""{"linkToken":"NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY","serviceUserId":""}""")]
    [InlineData("""{"linkToken":"NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY","serviceUserId":"alice smith"}""")]
    [InlineData("""{"linkToken":"NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY","serviceUserId":"alice/bob"}""")]
    [InlineData("""{"linkToken":"NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY","serviceUserId":"ユーザー"}""")]
    [InlineData("""{"linkToken":"NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY","serviceUserId":"alice\n"}""")]
    public async Task Run_InvalidServiceUserId_Returns400NamingIt(string body)
    {
        var result = await function.Run(FunctionHttp.Post("/links/nonce", body));

        var detail = FunctionHttp.Problem(result, StatusCodes.Status400BadRequest, "invalid-service-user-id");
        Assert.Contains("serviceUserId", detail);
        Assert.Empty(transient.Invocations);
    }

    [Fact]
    public async Task Run_ServiceUserIdOf129Characters_Returns400()
    {
        var result = await function.Run(Request(serviceUserId: new string('a', 129)));

        FunctionHttp.Problem(result, StatusCodes.Status400BadRequest, "invalid-service-user-id");
    }

    [Fact]
    public async Task Run_NonceIdAlreadyTaken_Returns503()
    {
        KnownLinkToken();
        transient.Setup(t => t.CreateNonceAsync(It.IsAny<NonceDocument>(), It.IsAny<CancellationToken>())).ReturnsAsync(WriteOutcome.Conflict);

        var result = await function.Run(Request());

        FunctionHttp.Problem(result, StatusCodes.Status503ServiceUnavailable, "storage-unavailable");
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public async Task Run_DotSegmentServiceUserId_Returns400(string serviceUserId)
    {
        var result = await function.Run(Request(serviceUserId: serviceUserId));

        FunctionHttp.Problem(result, StatusCodes.Status400BadRequest, "invalid-service-user-id");
        Assert.Empty(transient.Invocations);
    }

    [Fact]
    public async Task Run_UnexpectedExceptionFromStorage_Returns503AndLogsItsTypeAtError()
    {
        transient.Setup(t => t.ReadLinkTokenAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new System.Text.Json.JsonException($"unexpected token near {LinkToken}"));

        var result = await function.Run(Request());

        FunctionHttp.Problem(result, StatusCodes.Status503ServiceUnavailable, "dependency-failure");
        var log = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Error, log.Level);
        Assert.Contains(nameof(System.Text.Json.JsonException), log.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(LinkToken, log.Message, StringComparison.Ordinal);
    }
}
