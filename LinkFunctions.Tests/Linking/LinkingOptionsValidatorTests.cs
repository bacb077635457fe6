using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using Microsoft.Extensions.Options;
using static LinkFunctions.Tests.Hosting.OptionsTestPlatforms;

namespace LinkFunctions.Tests.Linking;

public class LinkingOptionsValidatorTests
{
    private static readonly Uri PublicBaseUrl = new("https://links.example.com");
    private static readonly Uri PageUrl = new("https://service.example.com/link");

    private static IReadOnlyList<string> Validate(LinkingOptions options, AuthMode mode = AuthMode.Delegated) =>
        Errors(new LinkingOptionsValidator(Options.Create(new AuthOptions { Mode = mode })).Validate(null, options));

    [Fact]
    public void Validate_DelegatedWithBothUrls_Succeeds()
    {
        Assert.Empty(Validate(new LinkingOptions { PublicBaseUrl = PublicBaseUrl, ServiceLinkPageUrl = PageUrl }));
    }

    [Fact]
    public void Validate_NoPublicBaseUrl_NamesLinkingPublicBaseUrl()
    {
        var errors = Validate(new LinkingOptions { ServiceLinkPageUrl = PageUrl });

        var error = Assert.Single(errors);
        Assert.StartsWith("Linking__PublicBaseUrl:", error);
    }

    [Fact]
    public void Validate_DelegatedWithoutServiceLinkPage_NamesLinkingServiceLinkPageUrl()
    {
        var errors = Validate(new LinkingOptions { PublicBaseUrl = PublicBaseUrl });

        var error = Assert.Single(errors);
        Assert.StartsWith("Linking__ServiceLinkPageUrl:", error);
    }

    [Fact]
    public void Validate_AppServiceWithoutServiceLinkPage_Succeeds()
    {
        Assert.Empty(Validate(new LinkingOptions { PublicBaseUrl = PublicBaseUrl }, AuthMode.AppService));
    }

    [Theory]
    [InlineData("http://links.example.com")]
    [InlineData("http://192.168.1.10:7071")]
    public void Validate_PlainHttpPublicBaseUrlOffLoopback_IsRefused(string url)
    {
        var errors = Validate(new LinkingOptions { PublicBaseUrl = new Uri(url), ServiceLinkPageUrl = PageUrl });

        Assert.Contains(errors, e => e.StartsWith("Linking__PublicBaseUrl", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://localhost:7071")]
    [InlineData("http://127.0.0.1:7071")]
    public void Validate_PlainHttpOnLoopback_IsAccepted(string url)
    {
        Assert.Empty(Validate(new LinkingOptions { PublicBaseUrl = new Uri(url), ServiceLinkPageUrl = new Uri(url + "/page") }));
    }

    [Fact]
    public void Validate_PlainHttpServiceLinkPageOffLoopback_IsRefused()
    {
        var errors = Validate(new LinkingOptions { PublicBaseUrl = PublicBaseUrl, ServiceLinkPageUrl = new Uri("http://service.example.com/link") });

        Assert.Contains(errors, e => e.StartsWith("Linking__ServiceLinkPageUrl", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_KeywordOver100Characters_NamesLinkingKeywords()
    {
        var errors = Validate(new LinkingOptions { PublicBaseUrl = PublicBaseUrl, ServiceLinkPageUrl = PageUrl, Keywords = "link," + new string('k', 101) });

        Assert.Contains(errors, e => e.StartsWith("Linking__Keywords", StringComparison.Ordinal));
    }

    [Fact]
    public void KeywordList_CommaSeparated_IsTrimmedAndSkipsEmptyEntries()
    {
        var options = new LinkingOptions { Keywords = " link , 連携,, Link Account " };

        Assert.Equal(new[] { "link", "連携", "Link Account" }, options.KeywordList);
    }

    [Theory]
    [InlineData("https://evil.example@service.example.com/done")]
    [InlineData("https://service.example.com/done#top")]
    [InlineData("http://service.example.com/done")]
    [InlineData("/done")]
    [InlineData("https://service.example.com\\done")]
    public void Validate_BadAllowedReturnUrl_NamesTheIndexedSetting(string entry)
    {
        var options = new LinkingOptions { PublicBaseUrl = PublicBaseUrl, ServiceLinkPageUrl = PageUrl };
        options.AllowedReturnUrls.Add("https://service.example.com/ok");
        options.AllowedReturnUrls.Add(entry);

        var error = Assert.Single(Validate(options));

        Assert.StartsWith("Linking__AllowedReturnUrls__1:", error);
    }

    [Fact]
    public void Validate_GoodAllowedReturnUrls_Succeeds()
    {
        var options = new LinkingOptions { PublicBaseUrl = PublicBaseUrl, ServiceLinkPageUrl = PageUrl };
        options.AllowedReturnUrls.Add("https://service.example.com/line/done");
        options.AllowedReturnUrls.Add("http://localhost:3000/");

        Assert.Empty(Validate(options));
    }

    [Theory]
    [InlineData("keep")]
    [InlineData("unlink")]
    [InlineData("Unlink")]
    public void Validate_KnownUnfollowPolicy_Succeeds(string policy)
    {
        Assert.Empty(Validate(new LinkingOptions { PublicBaseUrl = PublicBaseUrl, ServiceLinkPageUrl = PageUrl, UnfollowPolicy = policy }));
    }

    [Theory]
    [InlineData("delete")]
    [InlineData("")]
    public void Validate_UnknownUnfollowPolicy_NamesLinkingUnfollowPolicy(string policy)
    {
        var errors = Validate(new LinkingOptions { PublicBaseUrl = PublicBaseUrl, ServiceLinkPageUrl = PageUrl, UnfollowPolicy = policy });

        Assert.StartsWith("Linking__UnfollowPolicy:", Assert.Single(errors));
    }

    [Theory]
    [InlineData(" , ")]
    [InlineData("LINK")]
    public void Validate_NoUnlinkKeywordOrOneThatAlsoLinks_NamesLinkingUnlinkKeywords(string keywords)
    {
        var errors = Validate(new LinkingOptions { PublicBaseUrl = PublicBaseUrl, ServiceLinkPageUrl = PageUrl, UnlinkKeywords = keywords });

        Assert.StartsWith("Linking__UnlinkKeywords:", Assert.Single(errors));
    }

    [Fact]
    public void Validate_UnlinkKeywordTooLong_NamesLinkingUnlinkKeywords()
    {
        var errors = Validate(new LinkingOptions { PublicBaseUrl = PublicBaseUrl, ServiceLinkPageUrl = PageUrl, UnlinkKeywords = new string('x', 101) });

        Assert.StartsWith("Linking__UnlinkKeywords:", Assert.Single(errors));
    }
}
