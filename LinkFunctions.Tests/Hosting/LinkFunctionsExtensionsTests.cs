using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using LinkFunctions.Webhook;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Tests.Hosting;

public class LinkFunctionsExtensionsTests
{
    private static Dictionary<string, string?> ValidLocalSettings() => new()
    {
        ["Line:ChannelId"] = "1234567890",
        ["Line:ChannelSecret"] = "8c570fa6dd201bb328f1c1eac23a96d8",

        // Nothing listens there: the start-up warm-up must not reach the real LINE Platform from a test.
        ["Line:ApiBaseUrl"] = "http://127.0.0.1:1",
        ["Cosmos:ConnectionString"] =
            "AccountEndpoint=http://127.0.0.1:1/;AccountKey=C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==",
        ["Cosmos:CreateIfNotExists"] = "false",
        ["Linking:PublicBaseUrl"] = "https://links.example.com",
        ["Linking:ServiceLinkPageUrl"] = "https://service.example.com/link",
    };

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        // Only the test's settings: nothing from the machine's environment or an appsettings file.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddLinkFunctions();
        return builder.Build();
    }

    [Theory]
    [InlineData("Line:ChannelId", "Line__ChannelId")]
    [InlineData("Linking:PublicBaseUrl", "Linking__PublicBaseUrl")]
    [InlineData("Linking:ServiceLinkPageUrl", "Linking__ServiceLinkPageUrl")]
    [InlineData("Line:ChannelSecret", "Line__ChannelSecret")]
    [InlineData("Cosmos:ConnectionString", "Cosmos__AccountEndpoint")]
    public async Task StartAsync_RequiredSettingMissing_ThrowsNamingTheSetting(string key, string setting)
    {
        var settings = ValidLocalSettings();
        settings.Remove(key);
        using var host = BuildHost(settings);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(setting, ex.Message);
    }

    [Fact]
    public async Task StartAsync_BudgetOutOfRange_ThrowsNamingWebhookTimeBudgetMs()
    {
        var settings = ValidLocalSettings();
        settings["Webhook:TimeBudgetMs"] = "5000";
        using var host = BuildHost(settings);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Webhook__TimeBudgetMs", ex.Message);
    }

    [Fact]
    public async Task StartAsync_LiffAllowedOriginIsAWildcard_ThrowsNamingLiffAllowedOrigins()
    {
        var settings = ValidLocalSettings();
        settings["Auth:Mode"] = "AppService";
        settings["Auth:LoginProvider"] = "aad";
        settings["Auth:AllowUnverifiedPrincipalHeaders"] = "true";
        settings["Liff:ChannelId"] = "2000000001";
        settings["Liff:AllowedOrigins"] = "*";
        using var host = BuildHost(settings);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Liff__AllowedOrigins", ex.Message);
    }

    [Fact]
    public async Task StartAsync_LiffUnset_StartsWithLiffOff()
    {
        using var host = BuildHost(ValidLocalSettings());

        await host.StartAsync();
        var liff = host.Services.GetRequiredService<LinkFunctions.Liff.LiffLinkService>();
        await host.StopAsync();

        Assert.False(liff.IsConfigured);
    }

    [Fact]
    public async Task StartAsync_AllRequiredSettingsAndDependenciesUnreachable_StartsAndResolvesTheWebhookProcessor()
    {
        using var host = BuildHost(ValidLocalSettings());

        await host.StartAsync();
        var processor = host.Services.GetService<WebhookProcessor>();
        await host.StopAsync();

        Assert.NotNull(processor);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("true", true)]
    public void Build_LinkingNotifyReplaced_BindsAndIsOffByDefault(string? value, bool expected)
    {
        var settings = ValidLocalSettings();
        settings["Linking:NotifyReplaced"] = value;
        using var host = BuildHost(settings);

        Assert.Equal(expected, host.Services.GetRequiredService<IOptions<LinkingOptions>>().Value.NotifyReplaced);
    }
}
