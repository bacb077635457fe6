using System.Security.Cryptography;
using System.Text;
using LinkFunctions.Simulator.Service;

namespace LinkFunctions.Simulator;

/// <summary>
/// The app settings that point the app at this simulator, in <c>Section__Key</c> form: one list that
/// scripts/run-local.sh exports (<c>--app-env</c>) and the browser tests use, so the two cannot drift.
/// </summary>
public static class AppSettings
{
    public const string PrintFlag = "--app-env";

    public static IReadOnlyDictionary<string, string> For(SimulatorOptions options)
    {
        var simulator = options.PublicUrl.AbsoluteUri.TrimEnd('/');
        var app = options.AppBaseUrl.AbsoluteUri.TrimEnd('/');
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Line__ChannelId"] = options.ChannelId,
            ["Line__ChannelSecret"] = options.ChannelSecret,
            ["Line__ApiBaseUrl"] = simulator,
            ["Line__AccessBaseUrl"] = simulator,
            ["Auth__Mode"] = "Delegated",
            ["Linking__PublicBaseUrl"] = app,
            ["Linking__ServiceLinkPageUrl"] = simulator + ServicePages.LinkPagePath,
            ["Linking__AllowedReturnUrls"] = simulator + "/service/",
            ["Linking__NotifyUrl"] = simulator + NotificationInbox.Path,
            ["Linking__NotifySecret"] = options.NotifySecret,
            ["LineLogin__ChannelId"] = options.LoginChannelId,
            ["LineLogin__ChannelSecret"] = options.LoginChannelSecret,
            ["LineLogin__CallbackUrl"] = app + "/api/login/line/callback",
            ["LineLogin__TokenKey"] = DevelopmentTokenKey,
            ["Liff__ChannelId"] = options.LiffChannelId,
        };
    }

    /// <summary>Shell lines for <c>eval</c>: values are single-quoted, so nothing in them is expanded.</summary>
    public static string Exports(SimulatorOptions options) =>
        string.Concat(For(options).Select(s => $"export {s.Key}='{s.Value.Replace("'", "'\\''", StringComparison.Ordinal)}'\n"));

    /// <summary>A fixed, public, development-only key: the simulator's logins protect nothing real.</summary>
    private static string DevelopmentTokenKey { get; } = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("linkfunctions-simulator-development-only")));
}
