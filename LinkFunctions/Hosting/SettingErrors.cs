using Microsoft.Extensions.Options;

namespace LinkFunctions.Hosting;

/// <summary>Collects start-up errors that name the setting as users write it (<c>Section__Key</c>).</summary>
internal sealed class SettingErrors
{
    private readonly List<string> errors = [];

    public void Add(string setting, string problem) => errors.Add($"{setting}: {problem}");

    public void LocalOnly(PlatformInfo platform, string setting, bool isSet)
    {
        if (platform.RunsInAzure && isSet)
        {
            Add(setting, "is a local-only setting and is refused in Azure (WEBSITE_SITE_NAME or WEBSITE_INSTANCE_ID is set).");
        }
    }

    public void AbsoluteHttpUrl(string setting, Uri? value, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                Add(setting, "is required.");
            }
        }
        else if (!value.IsAbsoluteUri || (value.Scheme != Uri.UriSchemeHttps && value.Scheme != Uri.UriSchemeHttp))
        {
            Add(setting, "must be an absolute http(s) URL.");
        }
        else if (value.Scheme == Uri.UriSchemeHttp && !value.IsLoopback)
        {
            Add(setting, "must use https (plain http is accepted for loopback addresses only).");
        }
    }

    public ValidateOptionsResult ToResult() =>
        errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
}
