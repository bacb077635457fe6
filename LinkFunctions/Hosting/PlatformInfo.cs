using Microsoft.Extensions.Configuration;

namespace LinkFunctions.Hosting;

/// <summary>What the App Service platform says about where we run.</summary>
public sealed record PlatformInfo(bool RunsInAzure, bool EasyAuthEnabled)
{
    public static PlatformInfo From(IConfiguration configuration) => new(
        RunsInAzure: !string.IsNullOrEmpty(configuration["WEBSITE_SITE_NAME"])
            || !string.IsNullOrEmpty(configuration["WEBSITE_INSTANCE_ID"]),
        EasyAuthEnabled: string.Equals(configuration["WEBSITE_AUTH_ENABLED"], "True", StringComparison.OrdinalIgnoreCase));
}
