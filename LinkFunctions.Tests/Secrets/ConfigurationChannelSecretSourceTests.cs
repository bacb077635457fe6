using LinkFunctions.Secrets;

namespace LinkFunctions.Tests.Secrets;

public class ConfigurationChannelSecretSourceTests
{
    [Fact]
    public async Task FetchAsync_SecretConfigured_ReturnsIt()
    {
        var source = new ConfigurationChannelSecretSource("local-secret", "Line__ChannelSecret");

        var secret = await source.FetchAsync(CancellationToken.None);

        Assert.Equal("local-secret", secret);
        Assert.False(source.CanRefetch);
    }

    [Fact]
    public async Task FetchAsync_SecretMissing_ThrowsNamingTheSetting()
    {
        var source = new ConfigurationChannelSecretSource(null, "Line__ChannelSecret");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => source.FetchAsync(CancellationToken.None));

        Assert.Contains("Line__ChannelSecret", ex.Message);
    }
}
