using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Tests.Linking;

/// <summary>How <c>Linking__AllowedReturnUrls</c> arrives: as a list (<c>__0..n</c>) or as one comma-separated setting.</summary>
public class LinkingOptionsTests
{
    private static LinkingOptions Bind(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Linking:PublicBaseUrl"] = "https://links.example.com",
            ["Linking:ServiceLinkPageUrl"] = "https://service.example.com/link",
        });
        builder.AddLinkFunctionsOptions();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<LinkingOptions>>().Value;
    }

    [Fact]
    public void AllowedReturnUrls_IndexedSettings_BoundAsAList()
    {
        var options = Bind(("Linking:AllowedReturnUrls:0", "https://a.example/x"), ("Linking:AllowedReturnUrls:1", "https://b.example/"));

        Assert.Equal(new[] { "https://a.example/x", "https://b.example/" }, options.AllowedReturnUrls);
    }

    [Fact]
    public void AllowedReturnUrls_CommaSeparatedSetting_SplitAndTrimmed()
    {
        var options = Bind(("Linking:AllowedReturnUrls", " https://a.example/x , https://b.example/,"));

        Assert.Equal(new[] { "https://a.example/x", "https://b.example/" }, options.AllowedReturnUrls);
    }

    [Fact]
    public void AllowedReturnUrls_NotSet_Empty()
    {
        Assert.Empty(Bind().AllowedReturnUrls);
    }
}
