using LinkFunctions.Tests.EndToEnd;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.Mvc;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// Every sensitive value a run produced, by what it is, and every error answer's body: what the leak scan looks for
/// and, with the logs and telemetry, where it looks.
/// </summary>
public sealed class LeakRecord
{
    private readonly Dictionary<string, string> secrets = new()
    {
        ["channel secret"] = TestApp.ChannelSecret,
        ["channel access token"] = LineFake.AccessToken,
        ["LINE Login channel secret"] = LineFake.LoginChannelSecret,
        ["LINE Login access token"] = LineFake.LoginAccessToken,
        ["LINE Login refresh token"] = LineFake.LoginRefreshToken,
        ["login token key"] = LineLoginFlow.TokenKey,
    };

    private readonly List<string> errorBodies = [];

    public IReadOnlyDictionary<string, string> Secrets => secrets;

    public IReadOnlyList<string> ErrorBodies => errorBodies;

    public string Secret(string what, string value)
    {
        lock (secrets)
        {
            secrets[$"{what} #{secrets.Count}"] = value;
        }

        return value;
    }

    /// <summary>The answer's status; an error answer's body joins the scan.</summary>
    public int Answer(IActionResult result)
    {
        var status = HttpRequests.Status(result);
        if (status >= 400)
        {
            lock (errorBodies)
            {
                errorBodies.Add($"[{status}] {(result as ContentResult)?.Content}");
            }
        }

        return status;
    }

    public (string LineUserId, string ServiceUserId) NewUsers() =>
        (Secret("LINE user ID", WebhookBodies.NewLineUserId()), Secret("service user ID", $"customer-{Guid.NewGuid():N}"));
}
