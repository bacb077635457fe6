using LinkFunctions.Hosting;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Webhook;

internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var errors = new SettingErrors();
        if (options.TimeBudgetMs is < 100 or > 1900)
        {
            // LINE counts anything over 2 s as request_timeout.
            errors.Add("Webhook__TimeBudgetMs", "must be between 100 and 1900 milliseconds.");
        }

        return errors.ToResult();
    }
}
