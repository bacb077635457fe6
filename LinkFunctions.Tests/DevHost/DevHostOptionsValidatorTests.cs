using LinkFunctions.DevHost;

namespace LinkFunctions.Tests.DevHost;

public class DevHostOptionsValidatorTests
{
    [Theory]
    [InlineData("")]
    [InlineData("short-key")]
    public void Validate_MissingOrShortKey_FailsNamingTheSetting(string key)
    {
        var result = new DevHostOptionsValidator().Validate(null, new DevHostOptions { FunctionKey = key });

        Assert.True(result.Failed);
        Assert.Contains("DevHost__FunctionKey", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LongKey_Succeeds()
    {
        Assert.True(new DevHostOptionsValidator().Validate(null, new DevHostOptions { FunctionKey = new string('k', 16) }).Succeeded);
    }
}
