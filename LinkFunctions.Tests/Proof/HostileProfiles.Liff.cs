using System.Text.Json.Nodes;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// LIFF: identity fields from the client or no idToken are 400, a bad serviceUserId 400, and every ID token that is
/// not a fresh one signed by LINE for this channel 401. The signed-in route first gates the origin (403) and the user
/// (401 none, 403 refused).
/// </summary>
public static partial class HostileProfiles
{
    private static readonly string[] ForeignOrigins =
    [
        "https://evil.example", "null", "https://link.example.com.evil.example", "http://link.example.com", "https://link.example.com:8443",
        "https://link.example.com/", "https://LINK.example.com@evil.example", "", "*",
    ];

    private static Task<HostileCase> LiffLink(Junk junk, HostileContext context)
    {
        var serviceUserId = junk.ServiceUserId();
        var token = JunkIdToken(junk, context.Line);
        var plan = IdTokenPlan(junk, token, [("serviceUserId", Json(junk, serviceUserId))]);
        if (plan.Kind == "junk-id-token" && junk.Chance(0.3))
        {
            plan = new BodyPlan("bad-service-user-id", [("idToken", Json(junk, token)), ("serviceUserId", Json(junk, serviceUserId = junk.BadServiceUserId()))], 400, "serviceUserId");
        }

        return Task.FromResult(Post(junk, "links/liff", plan with { Secrets = [token, serviceUserId] }));
    }

    private static Task<HostileCase> LiffLinkSignedIn(Junk junk, HostileContext context)
    {
        var token = JunkIdToken(junk, context.Line);
        var extra = junk.Chance(0.2) ? new List<(string, string)> { ("serviceUserId", Json(junk, junk.ServiceUserId())) } : [];
        var plan = IdTokenPlan(junk, token, extra);
        if (extra.Count > 0)
        {
            plan = plan with { Kind = "service-user-id-sent", Expected = 400 };
        }

        var built = Post(junk, "links/liff/me", plan with { Secrets = [token] });
        var request = built.Request;
        var origin = TestApp.PublicBaseUrl.GetLeftPart(UriPartial.Authority);
        switch (junk.Next(8))
        {
            case 0:
                return Done(built with { Kind = "no-origin", Expected = 403 });
            case 1:
                request.Method = junk.Pick(HttpMethods.Post, HttpMethods.Options);
                request.Headers.Origin = junk.Pick(ForeignOrigins);
                return Done(built with { Kind = "foreign-origin", Expected = 403 });
            case 2:
                request.Headers.Origin = new([origin, junk.Pick(origin, "https://evil.example")]);
                return Done(built with { Kind = "two-origins", Expected = 403 });
            case 3:
                request.Method = HttpMethods.Options;
                request.Headers.Origin = origin;
                return Done(built with { Kind = "preflight", Expected = 204 });
            default:
                request.Headers.Origin = junk.Chance(0.8) ? origin : origin.ToUpperInvariant();
                var (principal, status) = Principal(junk, request, signedIn: built.Expected);
                return Done(built with { Kind = built.Kind + principal, Expected = principal == "/no-principal" ? 401 : status });
        }
    }

    private static Task<HostileCase> Done(HostileCase hostile) => Task.FromResult(hostile);

    /// <summary>The body classes both LIFF routes share, around an ID token that must be refused.</summary>
    private static BodyPlan IdTokenPlan(Junk junk, string token, List<(string Key, string Raw)> rest) => junk.Next(6) switch
    {
        0 => new BodyPlan("client-identity-refused", [("idToken", Json(junk, token)), .. rest, (junk.Pick("userId", "lineUserId", "profile"), junk.Pick("\"U0\"", "null", "{}", "1", "[]"))], 400),
        1 => new BodyPlan("missing-id-token", [.. rest, .. junk.Chance(0.5) ? new[] { ("idToken", junk.Pick("\"\"", "null")) } : []], 400),
        2 => new BodyPlan("id-token-wrong-type", [("idToken", WrongType(junk)), .. rest], 400),
        _ => new BodyPlan("junk-id-token", [("idToken", Json(junk, token)), .. rest], 401, "idToken"),
    };

    /// <summary>Never a token LINE issued for this channel in the last 10 minutes, though some are signed with LINE's key.</summary>
    private static string JunkIdToken(Junk junk, LineFake line)
    {
        var now = DateTimeOffset.UtcNow;
        var claims = LiffIdTokens.Claims(junk.LineUserId(), now);
        switch (junk.Next(10))
        {
            case 0:
                return junk.Text(200);
            case 1:
                return string.Join('.', Enumerable.Range(0, junk.Pick(2, 3, 4)).Select(_ => Convert.ToBase64String(junk.Bytes(junk.Next(0, 64))).TrimEnd('=')));
            case 2:
                return LiffIdTokens.SigningInput(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" }, claims) + ".";
            case 3:
                return LiffIdTokens.SignHs256(line.Liff.Header().Also("alg", "HS256"), claims, line.Liff.PublicKeyBytes());
            case 4:
                using (var other = new LiffIdTokens(line.Liff.Kid))
                {
                    return other.Sign(claims);
                }

            case 5:
                var signed = line.Liff.Sign(claims);
                return signed[..^2] + (signed[^2] == 'A' ? "B" : "A") + signed[^1];
            default:
                var (claim, value) = junk.Pick<(string, JsonNode)>(
                    ("aud", "1234567890"), ("iss", "https://access.line.me.evil"), ("exp", now.AddMinutes(-1).ToUnixTimeSeconds()),
                    ("iat", now.AddMinutes(-30).ToUnixTimeSeconds()), ("sub", junk.BadLineUserId()), ("iat", now.AddHours(2).ToUnixTimeSeconds()));
                claims[claim] = value;
                return line.Liff.Sign(claims);
        }
    }

    private static JsonObject Also(this JsonObject json, string key, string value)
    {
        json[key] = value;
        return json;
    }
}
