using Microsoft.Extensions.Options;

namespace LinkFunctions.Simulator;

internal sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        var errors = new List<string>();
        if (!options.AppBaseUrl.IsAbsoluteUri || (options.AppBaseUrl.Scheme != Uri.UriSchemeHttp && options.AppBaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add("Simulator__AppBaseUrl: must be the app's absolute http(s) URL, e.g. http://localhost:7071.");
        }

        foreach (var (setting, value) in new[]
        {
            ("Simulator__FunctionKey", options.FunctionKey), ("Simulator__ChannelId", options.ChannelId), ("Simulator__ChannelSecret", options.ChannelSecret),
            ("Simulator__LoginChannelId", options.LoginChannelId), ("Simulator__LoginChannelSecret", options.LoginChannelSecret),
            ("Simulator__LiffChannelId", options.LiffChannelId), ("Simulator__NotifySecret", options.NotifySecret),
        })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"{setting}: is required.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
