using System.Text.RegularExpressions;

namespace LinkFunctions.Tests.Infra;

/// <summary>The Bicep app settings against the keys the app's options bind: a renamed or new option fails here.</summary>
public sealed class AppSettingsDriftTests
{
    [Fact]
    public void AppSettings_EveryBoundKeyExceptLocalOnly_IsDeclared()
    {
        var declared = BicepAppSettings.Keys();

        var missing = BoundSettings.Keys()
            .Except(BoundSettings.LocalOnly, StringComparer.OrdinalIgnoreCase)
            .Where(bound => !declared.Any(setting => BoundSettings.Feeds(setting, bound)))
            .ToList();

        Assert.True(missing.Count == 0, $"Bound by the app but missing from the Bicep appSettings: {string.Join(", ", missing)}");
    }

    [Fact]
    public void AppSettings_LocalOnlyKeys_AreNotDeclared()
    {
        var declared = BicepAppSettings.Keys();

        var present = declared
            .Where(setting => BoundSettings.LocalOnly.Any(local => BoundSettings.Feeds(setting, local)))
            .ToList();

        Assert.True(present.Count == 0, $"Local-only settings must not be set in Azure: {string.Join(", ", present)}");
    }

    [Fact]
    public void AppSettings_EveryDeclaredKey_IsBoundOrPlatform()
    {
        var bound = BoundSettings.Keys();

        var unknown = BicepAppSettings.Keys()
            .Where(setting => !BicepAppSettings.IsPlatform(setting) && !bound.Any(key => BoundSettings.Feeds(setting, key)))
            .ToList();

        Assert.True(unknown.Count == 0, $"Neither bound by the app nor a known platform setting: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void AppSettings_DeclaredKeys_AreUnique()
    {
        var duplicates = BicepAppSettings.Keys()
            .GroupBy(key => key, StringComparer.OrdinalIgnoreCase)
            .Where(group => group.Count() > 1)
            .Select(group => group.Key)
            .ToList();

        Assert.Empty(duplicates);
    }

    [Fact]
    public void LocalOnlyAllowList_EveryEntry_IsABoundKey()
    {
        var bound = BoundSettings.Keys();

        var stale = BoundSettings.LocalOnly.Where(local => !bound.Contains(local, StringComparer.Ordinal)).ToList();

        Assert.True(stale.Count == 0, $"The local-only allow-list names keys the app no longer binds: {string.Join(", ", stale)}");
    }

    [Fact]
    public void InfraFiles_LocalOnlyKeys_AreNeverMentioned()
    {
        var files = BicepSource.InfraFiles().Append("infra/main.parameters.json");

        var mentions = files
            .SelectMany(file => BoundSettings.LocalOnly
                .Where(local => Regex.IsMatch(RepoRoot.ReadAllText(file), $@"(?<![A-Za-z0-9_]){local}(?![A-Za-z0-9_])", RegexOptions.IgnoreCase))
                .Select(local => $"{file}: {local}"))
            .ToList();

        Assert.True(mentions.Count == 0, $"Local-only settings appear in the templates: {string.Join(", ", mentions)}");
    }
}
