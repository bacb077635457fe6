using System.Text.RegularExpressions;

namespace LinkFunctions.Tests.Infra;

/// <summary>
/// Inputs without which the deployed app cannot start must stop the provisioning instead. azd prompts only for a
/// parameter without a default, and drops a parameter mapped to an unset variable, so a parameter with a default
/// needs its own check in the template.
/// </summary>
public sealed partial class ProvisionGuardTests
{
    [Fact]
    public void LinkingServiceLinkPageUrl_DelegatedModeAndEmpty_FailsTheDeployment()
    {
        var main = BicepSource.Load("infra/main.bicep");
        if (main.ParameterDefault("linkingServiceLinkPageUrl") is null)
        {
            return; // azd prompts for it, and a non-interactive run stops on the missing input.
        }

        var setting = main.Variable(BicepAppSettings.VariableName)!.Value("Linking__ServiceLinkPageUrl");
        var guard = VariableExpression(main.WithoutComments(), setting);

        Assert.True(guard is not null, $"Linking__ServiceLinkPageUrl is set from '{setting}', not from a variable that guards the empty default.");
        Assert.Matches(GuardedFail(), guard);
    }

    // The text of `var <name> = ...` up to the next line that starts a new statement (continuations are indented).
    private static string? VariableExpression(string source, string name)
    {
        var match = Regex.Match(source, $@"(?ms)^var[ \t]+{Regex.Escape(name)}[ \t]*=(.*?)(?=^\S|\z)");
        return match.Success ? match.Groups[1].Value : null;
    }

    // authMode == 'Delegated' && empty(linkingServiceLinkPageUrl) ? fail('...LINKING_SERVICE_LINK_PAGE_URL...') : ...
    [GeneratedRegex(@"authMode\s*==\s*'Delegated'\s*&&\s*empty\(linkingServiceLinkPageUrl\)\s*\?\s*fail\('[^']*LINKING_SERVICE_LINK_PAGE_URL", RegexOptions.Singleline)]
    private static partial Regex GuardedFail();
}
