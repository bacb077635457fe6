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

public class AccountLinkRedirectFunctionTests
{
    private const string LinkToken = "NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY";
    private const string LineUserId = "U4af4980629f4e5e0aa5e3c8f5b1b2c3d";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly ProviderKey provider = new("1234567890");
    private readonly Mock<ITransientRepository> transient = new();
    private readonly List<NonceDocument> createdNonces = [];
    private readonly FakeLogger<AccountLinkRedirectFunction> logger = new();

    public AccountLinkRedirectFunctionTests()
    {
        transient.Setup(t => t.CreateNonceAsync(It.IsAny<NonceDocument>(), It.IsAny<CancellationToken>()))
            .Callback((NonceDocument n, CancellationToken _) => createdNonces.Add(n))
            .ReturnsAsync(WriteOutcome.Ok);
    }

    private AccountLinkRedirectFunction Function(AuthMode mode, string pageUrl = "https://service.example.com/link") =>
        new(
            new AccountLinkRedirectService(
                transient.Object, provider, Options.Create(new LineOptions { ChannelId = "1234567890" }), time, NullLogger<AccountLinkRedirectService>.Instance),
            new ServiceUserResolver(
                Options.Create(new AuthOptions { Mode = mode, LoginProvider = "aad" }), new PlatformInfo(true, true), NullLogger<ServiceUserResolver>.Instance),
            Options.Create(new AuthOptions { Mode = mode, LoginProvider = "aad" }),
            Options.Create(new LinkingOptions { PublicBaseUrl = new Uri("https://links.example.com"), ServiceLinkPageUrl = new Uri(pageUrl) }),
            logger);

    private void KnownLinkToken(DateTimeOffset? expiresAt = null) =>
        transient.Setup(t => t.ReadLinkTokenAsync(provider.LinkToken(LinkToken), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Stored<LinkTokenDocument>(
                new LinkTokenDocument { Id = provider.LinkToken(LinkToken), LineUserId = LineUserId, ExpiresAt = expiresAt ?? time.GetUtcNow() + TimeSpan.FromMinutes(10), Ttl = 4200 },
                "\"lt\""));

    private static HttpRequest SignedIn(string query, string id = "alice", string idp = "aad")
    {
        var request = FunctionHttp.Get("/link", query);
        request.Headers[ServiceUserResolver.PrincipalIdHeader] = id;
        request.Headers[ServiceUserResolver.PrincipalIdpHeader] = idp;
        return request;
    }

    [Fact]
    public async Task Run_DelegatedWithValidToken_RedirectsToTheServicePageWithTheToken()
    {
        var request = FunctionHttp.Get("/link", $"?linkToken={LinkToken}");

        var result = await Function(AuthMode.Delegated).Run(request);

        var redirect = Assert.IsType<RedirectResult>(result);
        Assert.False(redirect.Permanent);
        Assert.False(redirect.PreserveMethod);
        Assert.Equal($"https://service.example.com/link?linkToken={LinkToken}", redirect.Url);
        FunctionHttp.AssertNoStore(request);
        Assert.Empty(transient.Invocations);
    }

    [Fact]
    public async Task Run_DelegatedPageWithAQuery_KeepsTheQueryAndAddsTheToken()
    {
        var request = FunctionHttp.Get("/link", $"?linkToken={LinkToken}");

        var result = await Function(AuthMode.Delegated, "https://service.example.com/account/link?src=line&lang=ja").Run(request);

        var redirect = Assert.IsType<RedirectResult>(result);
        Assert.Equal($"https://service.example.com/account/link?src=line&lang=ja&linkToken={LinkToken}", redirect.Url);
    }

    [Fact]
    public async Task Run_DelegatedPageWithAFragment_PutsTheTokenBeforeTheFragment()
    {
        var request = FunctionHttp.Get("/link", $"?linkToken={LinkToken}");

        var result = await Function(AuthMode.Delegated, "https://service.example.com/app#/link").Run(request);

        var redirect = Assert.IsType<RedirectResult>(result);
        Assert.Equal($"https://service.example.com/app?linkToken={LinkToken}#/link", redirect.Url);
    }

    [Fact]
    public async Task Run_DelegatedPageWithPercentEncodedCharacters_RedirectsToTheUrlAsConfigured()
    {
        // A Location header must stay ASCII: the configured escapes (a Japanese path, a space) must not be decoded.
        const string pageUrl = "https://service.example.jp/%E9%80%A3%E6%90%BA?src=line%20app";
        var request = FunctionHttp.Get("/link", $"?linkToken={LinkToken}");

        var result = await Function(AuthMode.Delegated, pageUrl).Run(request);

        var redirect = Assert.IsType<RedirectResult>(result);
        Assert.Equal($"{pageUrl}&linkToken={LinkToken}", redirect.Url);
        Assert.All(redirect.Url, c => Assert.True(c is > ' ' and < (char)127, $"'{c}' in {redirect.Url}"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("?linkToken=")]
    [InlineData("?token=NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY")]
    [InlineData("?linkToken=short")]
    [InlineData("?linkToken=NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY%3D")]
    [InlineData("?linkToken=NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY%0A")]
    [InlineData("?linkToken=NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY&linkToken=NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY")]
    [InlineData("?linkToken=NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY&linkToken=other0000000000000")]
    public async Task Run_BadMissingOrDuplicatedLinkToken_Returns400Problem(string query)
    {
        var request = FunctionHttp.Get("/link", query);

        var result = await Function(AuthMode.Delegated).Run(request);

        var detail = FunctionHttp.Problem(result, StatusCodes.Status400BadRequest, "invalid-link-token");
        Assert.Contains("linkToken", detail);
        FunctionHttp.AssertNoStore(request);
    }

    [Fact]
    public async Task Run_TooLongLinkToken_Returns400Problem()
    {
        var result = await Function(AuthMode.Delegated).Run(FunctionHttp.Get("/link", $"?linkToken={new string('a', 129)}"));

        FunctionHttp.Problem(result, StatusCodes.Status400BadRequest, "invalid-link-token");
    }

    [Fact]
    public async Task Run_AppServiceNotSignedIn_RedirectsToTheLoginWithAWayBack()
    {
        var request = FunctionHttp.Get("/link", $"?linkToken={LinkToken}");

        var result = await Function(AuthMode.AppService).Run(request);

        var redirect = Assert.IsType<RedirectResult>(result);
        Assert.StartsWith("/.auth/login/aad?", redirect.Url);
        var back = QueryHelpers.ParseQuery(redirect.Url[redirect.Url.IndexOf('?', StringComparison.Ordinal)..])["post_login_redirect_uri"].ToString();
        Assert.Equal($"/api/link?linkToken={LinkToken}", back);
        FunctionHttp.AssertNoStore(request);
        Assert.Empty(transient.Invocations);
    }

    [Fact]
    public async Task Run_AppServiceOtherProvider_Returns403Problem()
    {
        var result = await Function(AuthMode.AppService).Run(SignedIn($"?linkToken={LinkToken}", idp: "google"));

        FunctionHttp.Problem(result, StatusCodes.Status403Forbidden, "service-user-refused");
        Assert.Empty(transient.Invocations);
    }

    [Fact]
    public async Task Run_AppServiceSignedIn_RedirectsToLineWithANonceBoundToBothUsers()
    {
        KnownLinkToken();
        var request = SignedIn($"?linkToken={LinkToken}");

        var result = await Function(AuthMode.AppService).Run(request);

        var redirect = Assert.IsType<RedirectResult>(result);
        var url = new Uri(redirect.Url);
        Assert.Equal("https://access.line.me/dialog/bot/accountLink", url.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(url.Query);
        Assert.Equal(LinkToken, query["linkToken"].ToString());
        var nonce = query["nonce"].ToString();
        Assert.True(Identifiers.IsNonce(nonce));
        var stored = Assert.Single(createdNonces);
        Assert.Equal(provider.Nonce(nonce), stored.Id);
        Assert.Equal("alice", stored.ServiceUserId);
        Assert.Equal(LineUserId, stored.ExpectedLineUserId);
        Assert.Equal(NonceStates.Pending, stored.Status);
        Assert.Equal(time.GetUtcNow() + LinkingPolicy.NonceLifetime, stored.ExpiresAt);
        FunctionHttp.AssertNoStore(request);
    }

    [Fact]
    public async Task Run_AppServiceUnknownLinkToken_Returns404Problem()
    {
        var result = await Function(AuthMode.AppService).Run(SignedIn($"?linkToken={LinkToken}"));

        FunctionHttp.Problem(result, StatusCodes.Status404NotFound, "link-token-not-found");
        Assert.Empty(createdNonces);
    }

    [Fact]
    public async Task Run_AppServiceExpiredLinkToken_Returns404Problem()
    {
        KnownLinkToken(expiresAt: time.GetUtcNow());

        var result = await Function(AuthMode.AppService).Run(SignedIn($"?linkToken={LinkToken}"));

        FunctionHttp.Problem(result, StatusCodes.Status404NotFound, "link-token-not-found");
        Assert.Empty(createdNonces);
    }

    [Fact]
    public async Task Run_AppServiceStorageDown_Returns503Problem()
    {
        transient.Setup(t => t.ReadLinkTokenAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new StorageException("read", 503));

        var result = await Function(AuthMode.AppService).Run(SignedIn($"?linkToken={LinkToken}"));

        FunctionHttp.Problem(result, StatusCodes.Status503ServiceUnavailable, "storage-unavailable");
    }

    [Fact]
    public async Task Run_AppServiceLinkTokenClaimedByAnotherUser_Returns409Problem()
    {
        KnownLinkToken();
        transient.Setup(t => t.ReadLinkClaimAsync(provider.LinkClaim(LinkToken), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Stored<LinkClaimDocument>(
                new LinkClaimDocument
                {
                    Id = provider.LinkClaim(LinkToken), ServiceUserId = "mallory", Nonce = "0123456789abcdefghijABCDEFGHIJ-_0123456789a",
                    NonceExpiresAt = time.GetUtcNow() + TimeSpan.FromMinutes(10), ExpiresAt = time.GetUtcNow() + TimeSpan.FromMinutes(10), Ttl = 4200,
                },
                "\"claim\""));
        var request = SignedIn($"?linkToken={LinkToken}");

        var result = await Function(AuthMode.AppService).Run(request);

        FunctionHttp.Problem(result, StatusCodes.Status409Conflict, "link-token-claimed");
        Assert.Empty(createdNonces);
        FunctionHttp.AssertNoStore(request);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public async Task Run_AppServiceDotSegmentPrincipalId_Returns403Problem(string principalId)
    {
        var result = await Function(AuthMode.AppService).Run(SignedIn($"?linkToken={LinkToken}", id: principalId));

        FunctionHttp.Problem(result, StatusCodes.Status403Forbidden, "service-user-refused");
        Assert.Empty(transient.Invocations);
    }

    [Fact]
    public async Task Run_AppServiceUnexpectedExceptionFromStorage_Returns503AndLogsItsTypeAtError()
    {
        transient.Setup(t => t.ReadLinkTokenAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException($"state broken for {LinkToken}"));

        var result = await Function(AuthMode.AppService).Run(SignedIn($"?linkToken={LinkToken}"));

        FunctionHttp.Problem(result, StatusCodes.Status503ServiceUnavailable, "dependency-failure");
        var log = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Error, log.Level);
        Assert.Contains(nameof(InvalidOperationException), log.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(LinkToken, log.Message, StringComparison.Ordinal);
    }
}
