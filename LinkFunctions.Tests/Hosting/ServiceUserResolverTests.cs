using LinkFunctions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using static LinkFunctions.Tests.Hosting.OptionsTestPlatforms;

namespace LinkFunctions.Tests.Hosting;

public class ServiceUserResolverTests
{
    private readonly FakeLogger<ServiceUserResolver> logger = new();

    private ServiceUserResolver Resolver(string? provider = "aad", PlatformInfo? platform = null) =>
        new(Options.Create(new AuthOptions { Mode = AuthMode.AppService, LoginProvider = provider }), platform ?? AzureWithEasyAuth, logger);

    private static HttpRequest Request(string? id = null, string? idp = null, string path = "/api/link", string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        if (id is not null)
        {
            context.Request.Headers[ServiceUserResolver.PrincipalIdHeader] = id;
        }

        if (idp is not null)
        {
            context.Request.Headers[ServiceUserResolver.PrincipalIdpHeader] = idp;
        }

        return context.Request;
    }

    [Fact]
    public void TryResolvePage_SignedIn_ReturnsTheIdAndNoAnswer()
    {
        Assert.True(Resolver().TryResolvePage(Request("member-7", "aad"), out var id, out var answer));

        Assert.Equal("member-7", id);
        Assert.Null(answer);
    }

    [Fact]
    public void TryResolvePage_NobodySignedIn_RedirectsToSignInAndBack()
    {
        Assert.False(Resolver().TryResolvePage(Request(query: "?linkToken=abc"), out var id, out var answer));

        Assert.Null(id);
        var redirect = Assert.IsType<Microsoft.AspNetCore.Mvc.RedirectResult>(answer);
        Assert.StartsWith("/.auth/login/aad?post_login_redirect_uri=", redirect.Url, StringComparison.Ordinal);
    }

    [Fact]
    public void TryResolvePage_AnotherProvider_Returns403Problem()
    {
        Assert.False(Resolver().TryResolvePage(Request("member-7", "google"), out var id, out var answer));

        Assert.Null(id);
        Assert.Equal(403, Assert.IsType<Microsoft.AspNetCore.Mvc.ContentResult>(answer).StatusCode);
    }

    [Fact]
    public void Resolve_NoPrincipalHeader_IsUnauthenticated()
    {
        var user = Resolver().Resolve(Request());

        Assert.Equal(ServiceUserStatus.Unauthenticated, user.Status);
        Assert.Null(user.Id);
    }

    [Fact]
    public void Resolve_OnlyTheProviderHeader_IsUnauthenticated()
    {
        var user = Resolver().Resolve(Request(idp: "aad"));

        Assert.Equal(ServiceUserStatus.Unauthenticated, user.Status);
    }

    [Fact]
    public void Resolve_MatchingProvider_IsAuthenticatedWithThePrincipalId()
    {
        var user = Resolver().Resolve(Request("0e0f3c5a-7d1b-4c2a-9f8e-123456789abc", "aad"));

        Assert.Equal(ServiceUserStatus.Authenticated, user.Status);
        Assert.Equal("0e0f3c5a-7d1b-4c2a-9f8e-123456789abc", user.Id);
    }

    [Fact]
    public void Resolve_ProviderDiffersOnlyInCase_IsAuthenticated()
    {
        var user = Resolver("aad").Resolve(Request("alice", "AAD"));

        Assert.Equal(ServiceUserStatus.Authenticated, user.Status);
    }

    [Theory]
    [InlineData("google")]
    [InlineData("")]
    [InlineData(null)]
    public void Resolve_OtherOrMissingProvider_IsRefused(string? idp)
    {
        var user = Resolver("aad").Resolve(Request("alice", idp));

        Assert.Equal(ServiceUserStatus.Refused, user.Status);
        Assert.Null(user.Id);
        Assert.False(string.IsNullOrEmpty(user.Problem));
    }

    [Theory]
    [InlineData("alice smith")]
    [InlineData("alice/../bob")]
    [InlineData("alice@example.com,bob")]
    [InlineData("ユーザー")]
    [InlineData(".")]
    [InlineData("..")]
    public void Resolve_PrincipalIdOutsideTheGrammar_IsRefused(string id)
    {
        var user = Resolver().Resolve(Request(id, "aad"));

        Assert.Equal(ServiceUserStatus.Refused, user.Status);
        Assert.Null(user.Id);
    }

    [Fact]
    public void Resolve_PrincipalIdOver128Characters_IsRefused()
    {
        var user = Resolver().Resolve(Request(new string('a', 129), "aad"));

        Assert.Equal(ServiceUserStatus.Refused, user.Status);
    }

    [Fact]
    public void Resolve_TwoPrincipalIdHeaders_IsRefused()
    {
        var request = Request(idp: "aad");
        request.Headers[ServiceUserResolver.PrincipalIdHeader] = new Microsoft.Extensions.Primitives.StringValues(["alice", "bob"]);

        var user = Resolver().Resolve(request);

        Assert.NotEqual(ServiceUserStatus.Authenticated, user.Status);
    }

    [Fact]
    public void Resolve_UnverifiedHeadersLocally_LogsAWarning()
    {
        var user = Resolver(platform: Local).Resolve(Request("alice", "aad"));

        Assert.Equal(ServiceUserStatus.Authenticated, user.Status);
        Assert.Equal(LogLevel.Warning, logger.LatestRecord.Level);
    }

    [Fact]
    public void Resolve_WithEasyAuth_LogsNothing()
    {
        Resolver().Resolve(Request("alice", "aad"));

        Assert.Empty(logger.Collector.GetSnapshot());
    }

    [Fact]
    public void LoginUrl_Always_GoesToTheProvidersLoginWithTheRequestPathAndQueryAsRedirect()
    {
        var request = Request(path: "/api/link", query: "?linkToken=NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY&x=a%20b");

        var url = Resolver("aad").LoginUrl(request);

        var (path, query) = Split(url);
        Assert.Equal("/.auth/login/aad", path);
        Assert.Equal("/api/link?linkToken=NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY&x=a%20b", QueryHelpers.ParseQuery(query)["post_login_redirect_uri"].ToString());
    }

    [Fact]
    public void LoginUrl_WithPathBase_KeepsIt()
    {
        var request = Request(path: "/link", query: "?linkToken=abc");
        request.PathBase = "/api";

        var url = Resolver("google").LoginUrl(request);

        var (path, query) = Split(url);
        Assert.Equal("/.auth/login/google", path);
        Assert.Equal("/api/link?linkToken=abc", QueryHelpers.ParseQuery(query)["post_login_redirect_uri"].ToString());
    }

    private static (string Path, string Query) Split(string url)
    {
        var at = url.IndexOf('?', StringComparison.Ordinal);
        Assert.True(at > 0, url);
        return (url[..at], url[at..]);
    }
}
