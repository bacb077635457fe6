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

        foreach (var (entry, index) in options.AllowedReturnUrls.Select((e, i) => (e, i)))
        {
            if (Login.ReturnUrlAllowList.EntryProblem(entry) is { } problem)
            {
                errors.Add($"Linking__AllowedReturnUrls__{index}", problem);
            }
        }

        return errors.ToResult();
    }
}
