using Microsoft.AspNetCore.Http;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// The hostile-input profile of every route, by function name. A function without one fails
/// <c>HostileInputTests.RouteTable_EveryFunction_HasAHostileProfile</c>: add a line here and a profile beside the others.
/// </summary>
public static partial class HostileProfiles
{
    public static IReadOnlyDictionary<string, HostileProfile> All { get; } = new Dictionary<string, HostileProfile>
    {
        ["LineWebhook"] = Webhook,
        ["IssueLinkToken"] = IssueLinkToken,
        ["CreateAccountLinkRedirect"] = CreateAccountLinkRedirect,
        ["AccountLinkRedirect"] = AccountLinkRedirect,
        ["GetLinkByServiceUser"] = (junk, _) => ById(junk, "links/users", HttpMethods.Get, ServiceUserIds(junk), 404),
        ["GetLinkByLineUser"] = (junk, _) => ById(junk, "links/line-users", HttpMethods.Get, LineUserIds(junk), 404),
        ["DeleteLinkByServiceUser"] = (junk, _) => ById(junk, "links/users", HttpMethods.Delete, ServiceUserIds(junk), 204),
        ["DeleteLinkByLineUser"] = (junk, _) => ById(junk, "links/line-users", HttpMethods.Delete, LineUserIds(junk), 204),
        ["LinkHistory"] = LinkHistory,
        ["EraseUser"] = (junk, _) => ById(junk, "users", HttpMethods.Delete, ServiceUserIds(junk), 204),
        ["EraseLineUser"] = (junk, _) => ById(junk, "line-users", HttpMethods.Delete, LineUserIds(junk), 204),
        ["PushToUser"] = PushToUser,
        ["LiffLink"] = LiffLink,
        ["LiffLinkSignedIn"] = LiffLinkSignedIn,
        ["LineLoginStart"] = LineLoginStart,
        ["CreateLineLoginSession"] = CreateLineLoginSession,
        ["LineLoginCallback"] = LineLoginCallback,
        ["Health"] = (junk, _) => Anything(junk, "health"),
        ["Readiness"] = (junk, _) => Anything(junk, "health/ready"),
    };

    /// <summary>A POST of a JSON body: the shared body hostility, then the route's own plan.</summary>
    private static HostileCase Post(Junk junk, string path, BodyPlan plan, Action<HttpRequest>? decorate = null)
    {
        var (kind, body, contentLength, expected) = JsonBodies.Build(junk, plan);
        var request = HostileHttp.Request(HttpMethods.Post, "/" + path, HostileHttp.Query(junk, HostileHttp.Noise(junk)), body, HostileHttp.ContentType(junk), contentLength);
        decorate?.Invoke(request);
        return new HostileCase(kind, request, expected) { Secrets = plan.Secrets };
    }

    /// <summary>Routes that answer the same whatever is sent: junk query, headers and body.</summary>
    private static Task<HostileCase> Anything(Junk junk, string path)
    {
        var request = HostileHttp.Request(HttpMethods.Get, "/" + path, HostileHttp.Query(junk, HostileHttp.Noise(junk)), junk.Chance(0.3) ? junk.Bytes(junk.Next(1, 5000)) : null);
        request.Headers[junk.Pick("X-Forwarded-For", "Accept", "Authorization", "Cookie")] = junk.Text();
        return Task.FromResult(new HostileCase("junk-request", request, 200));
    }

    private static string Json(Junk junk, string value) => HostileHttp.String(junk, value);

    private static string WrongType(Junk junk) => junk.Pick("1", "true", "{}", "[]", "[\"U\"]", "1e400", "{\"$ref\":\"x\"}");
}
