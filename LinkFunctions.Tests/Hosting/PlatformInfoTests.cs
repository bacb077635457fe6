using LinkFunctions.Hosting;
using Microsoft.Extensions.Configuration;

namespace LinkFunctions.Tests.Hosting;

public class PlatformInfoTests
{
    private static PlatformInfo From(params (string Key, string Value)[] settings) =>
        PlatformInfo.From(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

    [Fact]
    public void From_NoPlatformVariables_IsLocalWithoutEasyAuth()
    {
        Assert.Equal(new PlatformInfo(RunsInAzure: false, EasyAuthEnabled: false), From());
    }

    [Theory]
    [InlineData("WEBSITE_SITE_NAME", "linkfunctions-prod")]
    [InlineData("WEBSITE_INSTANCE_ID", "0a1b2c3d")]
    public void From_EitherSiteVariable_RunsInAzure(string key, string value)
    {
        Assert.True(From((key, value)).RunsInAzure);
    }

    [Theory]
    [InlineData("WEBSITE_SITE_NAME")]
    [InlineData("WEBSITE_INSTANCE_ID")]
    public void From_EmptySiteVariable_IsLocal(string key)
    {
        Assert.False(From((key, "")).RunsInAzure);
    }

    [Theory]
    [InlineData("True", true)]
    [InlineData("true", true)]
    [InlineData("False", false)]
    [InlineData("1", false)]
    [InlineData("", false)]
    public void From_WebsiteAuthEnabled_IsReadCaseInsensitively(string value, bool expected)
    {
        Assert.Equal(expected, From(("WEBSITE_AUTH_ENABLED", value)).EasyAuthEnabled);
    }
}
