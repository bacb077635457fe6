using LinkFunctions.Hosting;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Linking;

internal sealed class LinkingOptionsValidator(IOptions<AuthOptions> auth) : IValidateOptions<LinkingOptions>
{
    public ValidateOptionsResult Validate(string? name, LinkingOptions options)
    {
        var errors = new SettingErrors();
        errors.AbsoluteHttpUrl("Linking__PublicBaseUrl", options.PublicBaseUrl, required: true);
        errors.AbsoluteHttpUrl("Linking__ServiceLinkPageUrl", options.ServiceLinkPageUrl, required: auth.Value.Mode == AuthMode.Delegated);
        if (options.KeywordList.Any(k => k.Length > 100))
        {
            errors.Add("Linking__Keywords", "each keyword must be at most 100 characters.");
        }

        UnlinkSettings(errors, options);
        foreach (var (entry, index) in options.AllowedReturnUrls.Select((e, i) => (e, i)))
        {
            if (Login.ReturnUrlAllowList.EntryProblem(entry) is { } problem)
            {
                errors.Add($"Linking__AllowedReturnUrls__{index}", problem);
            }
        }

        return errors.ToResult();
    }

    private static void UnlinkSettings(SettingErrors errors, LinkingOptions options)
    {
        var keywords = options.UnlinkKeywordList;
        if (keywords.Count == 0)
        {
            // LINE requires that users can unlink at any time, and the linking reply names this keyword.
            errors.Add("Linking__UnlinkKeywords", "at least one keyword is required.");
        }
        else if (keywords.Any(k => k.Length > 100))
        {
            errors.Add("Linking__UnlinkKeywords", "each keyword must be at most 100 characters.");
        }
        else if (keywords.Intersect(options.KeywordList, StringComparer.OrdinalIgnoreCase).Any())
        {
            errors.Add("Linking__UnlinkKeywords", "a keyword cannot both link (Linking__Keywords) and unlink.");
        }

        if (!options.UnfollowPolicy.Equals(UnfollowPolicies.Keep, StringComparison.OrdinalIgnoreCase) && !options.UnlinkOnUnfollow)
        {
            errors.Add("Linking__UnfollowPolicy", $"must be '{UnfollowPolicies.Keep}' or '{UnfollowPolicies.Unlink}'.");
        }
    }
}
