using LinkFunctions.Hosting;
using Microsoft.Extensions.Configuration;

namespace LinkFunctions.Tests.Hosting;

// The namespace is not LinkFunctions.Tests.Hosting: that would shadow LinkFunctions.Hosting for code elsewhere in
// this project that names it as "Hosting.X" from inside LinkFunctions.Tests.*.

/// <summary>The platforms the validators are run under, derived the way the app derives them.</summary>
internal static class OptionsTestPlatforms
{
    public static PlatformInfo Local { get; } = From();

    public static PlatformInfo AzureBySiteName { get; } = From(("WEBSITE_SITE_NAME", "linkfunctions-prod"));

    public static PlatformInfo AzureByInstanceId { get; } = From(("WEBSITE_INSTANCE_ID", "0a1b2c3d4e"));

    public static PlatformInfo AzureWithEasyAuth { get; } = From(("WEBSITE_SITE_NAME", "linkfunctions-prod"), ("WEBSITE_AUTH_ENABLED", "True"));

    public static PlatformInfo InAzure(string by) => by == "WEBSITE_SITE_NAME" ? AzureBySiteName : AzureByInstanceId;

    /// <summary>The errors a validation produced; empty when it succeeded.</summary>
    public static IReadOnlyList<string> Errors(Microsoft.Extensions.Options.ValidateOptionsResult result) =>
        result.Failed ? result.Failures!.ToList() : [];

    private static PlatformInfo From(params (string Key, string Value)[] settings) =>
        PlatformInfo.From(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());
}
