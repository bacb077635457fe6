using LinkFunctions.Login;
using LinkFunctions.Tests.EndToEnd;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// LINE Login. Start: a session that is junk, repeated or unknown is 404; a returnUrl outside the allow-list (or
/// repeated) 400; then the signed-in user decides. Callback: a junk, repeated or unknown state is our 400 page; a
/// real state from another browser our 200 page (and not spent); with the browser's cookie, junk code or error goes
/// back to the returnUrl with result=failed or cancelled (302), never anywhere the query says.
/// </summary>
public static partial class HostileProfiles
{
    private static readonly string[] ForeignReturnUrls =
    [
        "https://evil.example/line/done", "http://service.example.com/line/done", "javascript:alert(1)", "//evil.example/line/done",
        "https://service.example.com/line/donex", "https://service.example.com/line/done#x", "https://service.example.com\\@evil.example/line/done",
        "https://user@service.example.com/line/done", "https://service.example.com:444/line/done", "/line/done", "",
        "https://service.example.com/line/done/../../admin", "https://service.example.com/line", "data:text/html,x", "https://allowed.example.evil/",
        " https://service.example.com/line/done", "https://service.example.com/line/done\n", "HTTPS://evil.example/",
    ];

    private static string ForeignReturnUrl(Junk junk) =>
        junk.Chance(0.9) ? junk.Pick(ForeignReturnUrls) : LineLoginFlow.ReturnPrefix + "/" + new string('a', ReturnUrlAllowList.MaxLength);

    private static string AllowedReturnUrl(Junk junk) =>
        junk.Pick(LineLoginFlow.ReturnUrl, LineLoginFlow.ReturnPrefix, "https://allowed.example/", LineLoginFlow.ReturnPrefix + "/" + Uri.EscapeDataString(junk.Text(30)));

    private static Task<HostileCase> LineLoginStart(Junk junk, HostileContext context)
    {
        var session = junk.Nonce();
        var name = junk.Chance(0.8) ? "session" : "SESSION";
        (string Kind, (string, string)[] Pairs, int Expected) shape = junk.Next(8) switch
        {
            0 => ("junk-session", [(name, session = junk.BadNonce())], 404),
            1 => ("repeated-session", [(name, session), ("session", junk.Nonce())], 404),
            2 => ("unknown-session", [(name, session), ("returnUrl", AllowedReturnUrl(junk))], 404),
            3 => ("foreign-return-url", [("returnUrl", ForeignReturnUrl(junk))], 400),
            4 => ("repeated-return-url", [("returnUrl", AllowedReturnUrl(junk)), ("ReturnUrl", AllowedReturnUrl(junk))], 400),
            5 => ("missing-return-url", [("return_url", AllowedReturnUrl(junk))], 400),
            _ => ("allowed-return-url", [("returnUrl", AllowedReturnUrl(junk))], 0),
        };
        var request = HostileHttp.Request(HttpMethods.Get, "/login/line", HostileHttp.Query(junk, [.. shape.Pairs, .. HostileHttp.Noise(junk)]));
        var (principal, status) = Principal(junk, request, signedIn: 302);
        return Done(new HostileCase(shape.Kind + (shape.Expected == 0 ? principal : ""), request, shape.Expected == 0 ? status : shape.Expected) { Secrets = [session] });
    }

    private static Task<HostileCase> CreateLineLoginSession(Junk junk, HostileContext context)
    {
        var serviceUserId = junk.ServiceUserId();
        var plan = junk.Next(5) switch
        {
            0 => new BodyPlan("bad-service-user-id", [("serviceUserId", Json(junk, serviceUserId = junk.BadServiceUserId())), ("returnUrl", Json(junk, AllowedReturnUrl(junk)))], 400, "serviceUserId"),
            1 => new BodyPlan("foreign-return-url", [("serviceUserId", Json(junk, serviceUserId)), ("returnUrl", Json(junk, ForeignReturnUrl(junk)))], 400, "returnUrl"),
            2 => new BodyPlan("wrong-type", [("serviceUserId", Json(junk, serviceUserId)), ("returnUrl", WrongType(junk))], 400),
            3 => new BodyPlan("missing-fields", [("serviceUserId", Json(junk, serviceUserId))], 400),
            _ => new BodyPlan("valid", [("serviceUserId", Json(junk, serviceUserId)), ("returnUrl", Json(junk, AllowedReturnUrl(junk)))], 200, "serviceUserId"),
        };
        return Done(Post(junk, "login/line/sessions", plan with { Secrets = [serviceUserId] }));
    }

    private static async Task<HostileCase> LineLoginCallback(Junk junk, HostileContext context)
    {
        var code = junk.Chance(0.5) ? junk.Nonce() : junk.Text(80);
        var error = junk.Pick<string?>(null, null, "ACCESS_DENIED", "access_denied", "server_error", junk.Text(300), "");
        var junkCookie = junk.Nonce();
        if (junk.Chance(0.6))
        {
            var state = junk.Next(4) switch { 0 => junk.BadNonce(), 1 => "", _ => junk.Nonce() };
            var pairs = new List<(string, string)> { ("state", state) };
            if (junk.Chance(0.2))
            {
                pairs.Add(("state", junk.Nonce()));
            }

            return Callback(junk, "junk-state", pairs, code, error, junk.Chance(0.5) ? junkCookie : null, 400, [state, code, junkCookie]);
        }

        var started = await new LineLoginFlow(context.App, context.Line).StartAsync(junk.ServiceUserId(), AllowedReturnUrl(junk));
        var real = QueryHelpers.ParseQuery(started.AuthorizeUrl.Query)["state"].Single()!;
        var secrets = new[] { real, code, started.Cookie, junkCookie };
        return junk.Next(4) switch
        {
            0 => Callback(junk, "other-browser", [("state", real)], code, error, junk.Chance(0.5) ? junkCookie : null, 200, secrets),
            1 => Callback(junk, "repeated-code", [("state", real), ("code", code)], code, null, started.Cookie, 302, secrets),
            _ => Callback(junk, error is null ? "junk-code" : "line-error", [("state", real)], code, error, started.Cookie, 302, secrets),
        };
    }

    private static HostileCase Callback(
        Junk junk, string kind, List<(string, string)> pairs, string code, string? error, string? cookie, int expected, string[] secrets)
    {
        pairs.Add(("code", code));
        if (error is not null)
        {
            pairs.Add(("error", error));
            pairs.Add(("error_description", junk.Text(100)));
        }

        pairs.AddRange(HostileHttp.Noise(junk));
        var request = HostileHttp.Request(HttpMethods.Get, "/login/line/callback", HostileHttp.Query(junk, [.. pairs]));
        if (cookie is not null)
        {
            request.Headers.Cookie = $"{LoginPolicy.BrowserBindingCookie}={cookie}";
        }

        return new HostileCase(kind, request, expected) { Secrets = secrets, ErrorBody = ErrorBody.Page };
    }
}
