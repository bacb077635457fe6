using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using LinkFunctions.Login;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Tests.Login;

public class ReturnUrlAllowListTests
{
    private static ReturnUrlAllowList AllowList(params string[] entries)
    {
        var options = new LinkingOptions();
        foreach (var entry in entries)
        {
            options.AllowedReturnUrls.Add(entry);
        }

        return new ReturnUrlAllowList(Options.Create(options));
    }

    private static readonly ReturnUrlAllowList Default = AllowList("https://allowed.example/app", "https://root.example/", "http://localhost:3000/cb");

    [Theory]
    [InlineData("https://allowed.example/app")]
    [InlineData("https://allowed.example/app/")]
    [InlineData("https://allowed.example/app/done?x=1")]
    [InlineData("https://ALLOWED.example/app/done")]
    [InlineData("https://allowed.example:443/app")]
    [InlineData("https://root.example/anything/at/all")]
    [InlineData("http://localhost:3000/cb?ok=1")]
    public void Match_UnderAnEntry_ReturnsTheUrl(string candidate)
    {
        Assert.NotNull(Default.Match(candidate));
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("//evil.example")]
    [InlineData("https://allowed.example@evil.example/app")]
    [InlineData("https://user:pw@allowed.example/app")]
    [InlineData("https://allowed.example\\@evil.example/app")]
    [InlineData("https://allowed.example/app\\..\\..\\evil")]
    [InlineData("https://allowed.example/app\\evil")]
    [InlineData("/\\evil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("JavaScript://allowed.example/app%0aalert(1)")]
    [InlineData("data:text/html,hi")]
    [InlineData("/app")]
    [InlineData("app")]
    [InlineData("https:/allowed.example/app")]
    [InlineData("https://allowed.example/apple")]
    [InlineData("https://allowed.example/APP")]
    [InlineData("https://allowed.example/app/../evil")]
    [InlineData("https://allowed.example:8443/app")]
    [InlineData("http://allowed.example/app")]
    [InlineData("https://allowed.example.evil.example/app")]
    [InlineData("https://allowed.example/app#frag")]
    [InlineData("https://allowed.example/app\t")]
    [InlineData(" https://allowed.example/app")]
    [InlineData("http://localhost:3001/cb")]
    [InlineData("")]
    [InlineData(null)]
    public void Match_NotUnderAnEntry_ReturnsNull(string? candidate)
    {
        Assert.Null(Default.Match(candidate));
    }

    [Fact]
    public void Match_NoEntries_RefusesEverything()
    {
        Assert.Null(AllowList().Match("https://allowed.example/app"));
    }

    [Fact]
    public void Match_OverlongUrl_ReturnsNull()
    {
        Assert.Null(Default.Match("https://allowed.example/app/" + new string('a', ReturnUrlAllowList.MaxLength)));
    }

    [Theory]
    [InlineData("https://allowed.example/app", true)]
    [InlineData("http://127.0.0.1:3000/", true)]
    [InlineData("http://allowed.example/app", false)]
    [InlineData("https://user@allowed.example/app", false)]
    [InlineData("https://allowed.example/app#x", false)]
    [InlineData("https://allowed.example/app?x=1", false)]
    [InlineData("/relative", false)]
    [InlineData("https://allowed.example\\app", false)]
    public void EntryProblem_Entry_OnlyOriginPlusPathAccepted(string entry, bool fine)
    {
        Assert.Equal(fine, ReturnUrlAllowList.EntryProblem(entry) is null);
    }
}
