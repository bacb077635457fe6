using LinkFunctions.Hosting;
using LinkFunctions.Liff;
using Microsoft.Extensions.Options;
using static LinkFunctions.Tests.Hosting.OptionsTestPlatforms;

namespace LinkFunctions.Tests.Liff;

public class LiffOptionsValidatorTests
{
    private static IReadOnlyList<string> Validate(LiffOptions options, AuthMode mode = AuthMode.AppService) =>
        Errors(new LiffOptionsValidator(Options.Create(new AuthOptions { Mode = mode })).Validate(null, options));

    [Fact]
    public void Validate_Unset_SucceedsWithLiffOff()
    {
        var options = new LiffOptions();

        Assert.Empty(Validate(options, AuthMode.Delegated));
        Assert.False(options.IsConfigured);
    }

    [Fact]
    public void Validate_ChannelIdAndHttpsOrigins_Succeeds()
    {
        Assert.Empty(Validate(new LiffOptions { ChannelId = "2000000001", AllowedOrigins = "https://liff.example.com, https://app.example.com:8443" }));
    }

    [Theory]
    [InlineData("2000000001-AbCdEfGh")] // the LIFF ID
    [InlineData("abc")]
    public void Validate_ChannelIdNotDigits_NamesLiffChannelId(string channelId)
    {
        var error = Assert.Single(Validate(new LiffOptions { ChannelId = channelId }));

        Assert.StartsWith("Liff__ChannelId:", error);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("https://*.example.com")]
    [InlineData("http://liff.example.com")]
    [InlineData("https://liff.example.com/app")]
    [InlineData("https://liff.example.com?x=1")]
    [InlineData("https://user@liff.example.com")]
    [InlineData("liff.example.com")]
    [InlineData("null")]
    public void Validate_OriginNotAnExactHttpsOrigin_NamesLiffAllowedOrigins(string origin)
    {
        var error = Assert.Single(Validate(new LiffOptions { ChannelId = "2000000001", AllowedOrigins = $"https://ok.example.com,{origin}" }));

        Assert.StartsWith("Liff__AllowedOrigins:", error);
    }

    [Fact]
    public void Validate_OriginsInDelegatedMode_NamesLiffAllowedOrigins()
    {
        var error = Assert.Single(Validate(new LiffOptions { ChannelId = "2000000001", AllowedOrigins = "https://liff.example.com" }, AuthMode.Delegated));

        Assert.StartsWith("Liff__AllowedOrigins:", error);
        Assert.Contains("AppService", error);
    }

    [Fact]
    public void Validate_OriginsWithoutChannelId_NamesLiffAllowedOrigins()
    {
        var error = Assert.Single(Validate(new LiffOptions { AllowedOrigins = "https://liff.example.com" }));

        Assert.StartsWith("Liff__AllowedOrigins:", error);
        Assert.Contains("Liff__ChannelId", error);
    }
}
