using LinkFunctions.Hosting;
using LinkFunctions.Secrets;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Tests.Secrets;

public class ConfigurationChannelSecretSourceTests
{
    [Fact]
    public async Task FetchAsync_SecretConfigured_ReturnsIt()
    {
        var source = new ConfigurationChannelSecretSource(Options.Create(new LineOptions { ChannelSecret = "local-secret" }));

        var secret = await source.FetchAsync(CancellationToken.None);

        Assert.Equal("local-secret", secret);
        Assert.False(source.CanRefetch);
    }

    [Fact]
    public async Task FetchAsync_SecretMissing_ThrowsNamingTheSetting()
    {
        var source = new ConfigurationChannelSecretSource(Options.Create(new LineOptions()));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => source.FetchAsync(CancellationToken.None));

        Assert.Contains("Line__ChannelSecret", ex.Message);
    }
}
