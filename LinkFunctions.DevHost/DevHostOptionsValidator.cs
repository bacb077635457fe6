using Microsoft.Extensions.Options;

namespace LinkFunctions.DevHost;

internal sealed class DevHostOptionsValidator : IValidateOptions<DevHostOptions>
{
    /// <summary>Short keys are guessable; the host's own generated keys are far longer.</summary>
    public const int MinKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, DevHostOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.FunctionKey) || options.FunctionKey.Length < MinKeyLength)
        {
            errors.Add($"DevHost__FunctionKey: set a function key of at least {MinKeyLength} characters; function-level routes require it in x-functions-key.");
        }

        if (options.MetadataPath is { Length: > 0 } path && !File.Exists(path))
        {
            errors.Add($"DevHost__MetadataPath: no functions.metadata at that path; build the app first.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
