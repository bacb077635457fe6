using LinkFunctions.Simulator;
using LinkFunctions.Tests.Infra;

namespace LinkFunctions.Tests.Simulator;

public class AppSettingsTests
{
    [Fact]
    public void Exports_ValueWithQuote_SingleQuotedForEval()
    {
        var exports = AppSettings.Exports(new SimulatorOptions { NotifySecret = "it's" });

        Assert.Contains("export Linking__NotifySecret='it'\\''s'\n", exports, StringComparison.Ordinal);
        Assert.Equal(AppSettings.For(new SimulatorOptions()).Count, exports.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void For_EveryAppSettingItSets_IsOneTheAppBindsOrTheNotifierUses()
    {
        // A renamed app setting would leave the simulator pointing the app nowhere; the notifier's two are fixed by the scheme.
        var known = BoundSettings.Keys().Concat(["Linking__NotifyUrl", "Linking__NotifySecret"]).ToHashSet(StringComparer.Ordinal);

        Assert.All(AppSettings.For(new SimulatorOptions()).Keys, key => Assert.Contains(key, known));
    }
}
