using Microsoft.AspNetCore.Http;

namespace LinkFunctions.Tests.Proof;

/// <summary>Link tokens, the nonce redirect, lookups and unlinks: bad IDs answer 400, valid unknown ones 404 (DELETE: 204).</summary>
public static partial class HostileProfiles
{
    private static (string Kind, string Value, bool Valid) ServiceUserIds(Junk junk) =>
        junk.Chance(0.25) ? ("valid-unknown-id", junk.ServiceUserId(), true) : ("bad-id", junk.BadServiceUserId(), false);

    private static (string Kind, string Value, bool Valid) LineUserIds(Junk junk) =>
        junk.Chance(0.25) ? ("valid-unknown-id", junk.LineUserId(), true) : ("bad-id", junk.BadLineUserId(), false);

    /// <summary>A route value as the host binds it (already URL-decoded), with junk query parameters the route ignores.</summary>
    private static Task<HostileCase> ById(Junk junk, string prefix, string method, (string Kind, string Value, bool Valid) id, int valid)
    {
        var request = HostileHttp.Request(method, $"/{prefix}/{Uri.EscapeDataString(id.Value)}", HostileHttp.Query(junk, HostileHttp.Noise(junk)));
        var name = prefix.EndsWith("line-users", StringComparison.Ordinal) ? "lineUserId" : "serviceUserId";
        return Task.FromResult(new HostileCase(id.Kind, request, id.Valid ? valid : 400)
        {
            RouteValues = new Dictionary<string, string> { [name] = id.Value },
            Secrets = [id.Value],
        });
    }

    /// <summary>A valid user with junk paging (bad or repeated <c>pageSize</c>, forged <c>continuationToken</c>) → 400; clean paging → 200.</summary>
    private static Task<HostileCase> LinkHistory(Junk junk, HostileContext context)
    {
        var id = ServiceUserIds(junk);
        var (kind, paging, expected) = junk.Next(5) switch
        {
            0 => ("bad-page-size", new[] { ("pageSize", junk.Pick("0", "101", "-1", "abc", "1e3", "+5", "5.0", "99999999999")) }, 400),
            1 => ("repeated-page-size", [("pageSize", "5"), ("pageSize", "5")], 400),
            2 => ("forged-continuation", [("continuationToken", "tok-" + junk.Text())], 400),
            3 => ("page-size", [("pageSize", junk.Next(1, 101).ToString(System.Globalization.CultureInfo.InvariantCulture))], 200),
            _ => ("no-paging", Array.Empty<(string, string)>(), 200),
        };
        var query = HostileHttp.Query(junk, [.. paging, .. HostileHttp.Noise(junk)]);
        var request = HostileHttp.Request(HttpMethods.Get, $"/links/users/{Uri.EscapeDataString(id.Value)}/history", query);
        return Task.FromResult(new HostileCase(id.Valid ? kind : id.Kind, request, id.Valid ? expected : 400)
        {
            RouteValues = new Dictionary<string, string> { ["serviceUserId"] = id.Value },
            Secrets = [id.Value],
        });
    }

    private static Task<HostileCase> IssueLinkToken(Junk junk, HostileContext context)
    {
        var lineUserId = junk.LineUserId();
        var plan = junk.Next(6) switch
        {
            0 => new BodyPlan("bad-line-user-id", [("lineUserId", Json(junk, lineUserId = junk.BadLineUserId()))], 400, "lineUserId"),
            1 => new BodyPlan("wrong-type", [("lineUserId", WrongType(junk)), ("send", "false")], 400),
            2 => new BodyPlan("send-wrong-type", [("lineUserId", Json(junk, lineUserId)), ("send", junk.Pick("\"true\"", "1", "null", "{}"))], 400),
            3 => new BodyPlan("missing-fields", [("send", "false")], 400),
            _ => new BodyPlan("valid", [("lineUserId", Json(junk, lineUserId)), ("send", junk.Pick("false", "true"))], 200, "lineUserId"),
        };
        return Task.FromResult(Post(junk, "links/token", plan with { Secrets = [lineUserId] }));
    }

    private static Task<HostileCase> CreateAccountLinkRedirect(Junk junk, HostileContext context)
    {
        var (linkToken, serviceUserId) = (junk.LinkToken(), junk.ServiceUserId());
        var plan = junk.Next(5) switch
        {
            0 => new BodyPlan("bad-link-token", [("linkToken", Json(junk, linkToken = junk.BadLinkToken())), ("serviceUserId", Json(junk, serviceUserId))], 400, "linkToken"),
            1 => new BodyPlan("bad-service-user-id", [("linkToken", Json(junk, linkToken)), ("serviceUserId", Json(junk, serviceUserId = junk.BadServiceUserId()))], 400, "serviceUserId"),
            2 => new BodyPlan("wrong-type", [("linkToken", WrongType(junk)), ("serviceUserId", Json(junk, serviceUserId))], 400),
            _ => new BodyPlan("valid-unknown-link-token", [("linkToken", Json(junk, linkToken)), ("serviceUserId", Json(junk, serviceUserId))], 404, "linkToken"),
        };
        return Task.FromResult(Post(junk, "links/nonce", plan with { Secrets = [linkToken, serviceUserId] }));
    }

    /// <summary>
    /// AppService mode: linkToken must appear once and match its grammar (400); then the signed-in user decides: none is
    /// sent to sign in (302), a refused principal 403, and a valid unknown token 404. Parameter names are case-insensitive.
    /// </summary>
    private static Task<HostileCase> AccountLinkRedirect(Junk junk, HostileContext context)
    {
        var token = junk.LinkToken();
        var name = junk.Chance(0.8) ? "linkToken" : junk.Pick("LINKTOKEN", "LinkToken", "linktoken");
        (string Kind, (string, string)[] Pairs, int Expected) shape = junk.Next(5) switch
        {
            0 => ("bad-link-token", [(name, token = junk.BadLinkToken())], 400),
            1 => ("repeated-link-token", [(name, token), (junk.Pick("linkToken", "LINKTOKEN"), junk.Chance(0.5) ? token : junk.LinkToken())], 400),
            2 => ("missing-link-token", [("link_token", token)], 400),
            _ => ("valid-unknown-link-token", [(name, token)], 0),
        };
        var request = HostileHttp.Request(HttpMethods.Get, "/link", HostileHttp.Query(junk, [.. shape.Pairs, .. HostileHttp.Noise(junk)]));
        var (principal, signedIn) = Principal(junk, request, signedIn: 404);
        return Task.FromResult(new HostileCase(shape.Kind + principal, request, shape.Expected != 0 ? shape.Expected : signedIn) { Secrets = [token] });
    }

    /// <summary>Easy Auth's headers, or a forgery of them: the status a page answers for each once its input is valid.</summary>
    private static (string Kind, int Status) Principal(Junk junk, HttpRequest request, int signedIn)
    {
        switch (junk.Next(5))
        {
            case 0:
                return ("/no-principal", 302);
            case 1:
                request.Headers["X-MS-CLIENT-PRINCIPAL-ID"] = junk.ServiceUserId();
                request.Headers["X-MS-CLIENT-PRINCIPAL-IDP"] = junk.Pick("google", "", "aad ", "github");
                return ("/other-idp", 403);
            case 2:
                request.Headers["X-MS-CLIENT-PRINCIPAL-ID"] = junk.BadServiceUserId() is { Length: > 0 } bad ? bad : "..";
                request.Headers["X-MS-CLIENT-PRINCIPAL-IDP"] = "aad";
                return ("/bad-principal-id", 403);
            default:
                request.Headers["X-MS-CLIENT-PRINCIPAL-ID"] = junk.ServiceUserId();
                request.Headers["X-MS-CLIENT-PRINCIPAL-IDP"] = junk.Pick("aad", "AAD");
                return ("/signed-in", signedIn);
        }
    }
}
