using LinkFunctions.Hosting;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Storage;

internal sealed class CosmosOptionsValidator(PlatformInfo platform) : IValidateOptions<CosmosOptions>
{
    public ValidateOptionsResult Validate(string? name, CosmosOptions options)
    {
        var errors = new SettingErrors();
        var hasConnectionString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        if (options.AccountEndpoint is null == !hasConnectionString)
        {
            errors.Add("Cosmos__AccountEndpoint", "set exactly one of Cosmos__AccountEndpoint (Azure, managed identity) and Cosmos__ConnectionString (local).");
        }

        errors.AbsoluteHttpUrl("Cosmos__AccountEndpoint", options.AccountEndpoint, required: false);
        errors.LocalOnly(platform, "Cosmos__ConnectionString", hasConnectionString);
        errors.LocalOnly(platform, "Cosmos__CreateIfNotExists", options.CreateIfNotExists);
        if (hasConnectionString && !options.ConnectionString!.Contains("AccountEndpoint=", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("Cosmos__ConnectionString", "must look like AccountEndpoint=…;AccountKey=…;");
        }

        if (string.IsNullOrWhiteSpace(options.DatabaseName))
        {
            errors.Add("Cosmos__DatabaseName", "must not be empty.");
        }

        return errors.ToResult();
    }
}
