using System.Text.Json.Nodes;
using LinkFunctions.Functions;
using LinkFunctions.Login;
using LinkFunctions.Tests.EndToEnd;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace LinkFunctions.Tests.Proof;

/// <summary>LINE Login (success, cancel, junk code, bad ID token, another browser, junk state, a Delegated session) and LIFF.</summary>
public sealed partial class LeakFlows
{
    private LineLoginFlow Login => new(app, line);

    public async Task LineLoginAsync()
    {
        // Every ID token the fake issues, valid or not, is a secret of the run.
        var nonceMismatch = false;
        line.IdTokenFactory = authorization =>
        {
            var claims = LineFake.IdTokenClaims(authorization);
            if (nonceMismatch)
            {
                claims["nonce"] = "not-the-nonce-we-sent";
            }

            return record.Secret("ID token", LineFake.SignIdToken(claims));
        };

        var (lineUserId, serviceUserId) = record.NewUsers();
        Assert.Equal(LoginResults.Linked, LineLoginFlow.Result(await CallbackAsync(await StartAsync(serviceUserId), lineUserId)));

        var cancelled = await StartAsync(serviceUserId);
        var state = QueryHelpers.ParseQuery(cancelled.AuthorizeUrl.Query)["state"].Single()!;
        Assert.Equal(LoginResults.Cancelled, LineLoginFlow.Result(await AnswerAsync(Query(("state", state), ("error", "ACCESS_DENIED")), cancelled.Cookie)));

        var junkCode = await StartAsync(serviceUserId);
        var junkState = QueryHelpers.ParseQuery(junkCode.AuthorizeUrl.Query)["state"].Single()!;
        var code = record.Secret("junk code", LinkFunctions.Linking.Nonce.Create());
        Assert.Equal(LoginResults.Failed, LineLoginFlow.Result(await AnswerAsync(Query(("state", junkState), ("code", code)), junkCode.Cookie)));

        nonceMismatch = true;
        Assert.Equal(LoginResults.Failed, LineLoginFlow.Result(await CallbackAsync(await StartAsync(serviceUserId), lineUserId)));
        nonceMismatch = false;

        var otherBrowser = await StartAsync(serviceUserId);
        var authorization = line.Authorize(otherBrowser.AuthorizeUrl, lineUserId);
        record.Secret("code", authorization.Code);
        LineLoginFlow.Page(await AnswerAsync(Query(("state", authorization.State), ("code", authorization.Code)), record.Secret("cookie", "another-browser-cookie-value")), 200);
        LineLoginFlow.Page(await AnswerAsync(Query(("state", record.Secret("unknown state", LinkFunctions.Linking.Nonce.Create())), ("code", authorization.Code)), otherBrowser.Cookie), 400);

        // Delegated: the backend asks for a startUrl, the browser opens it.
        var (otherLine, otherService) = record.NewUsers();
        var (startUrl, _) = await Login.CreateSessionAsync(otherService);
        record.Secret("login session", QueryHelpers.ParseQuery(startUrl.Query)["session"].Single()!);
        var (request, result) = await Login.OpenStartUrlAsync(startUrl);
        var started = Started(LineLoginFlow.Redirected(request, result));
        Assert.Equal(LoginResults.Linked, LineLoginFlow.Result(await CallbackAsync(started, otherLine)));
        Assert.Equal(404, record.Answer((await Login.GetStartAsync(Query(("session", LinkFunctions.Linking.Nonce.Create())))).Result));

        // The PKCE verifiers the app sent LINE's token endpoint.
        foreach (var call in line.CallsTo("/oauth2/v2.1/token"))
        {
            record.Secret("PKCE verifier", QueryHelpers.ParseQuery(call.Body)["code_verifier"].Single()!);
        }
    }

    public async Task LiffAsync()
    {
        var (lineUserId, serviceUserId) = record.NewUsers();
        var token = record.Secret("LIFF ID token", line.Liff.Sign(LiffIdTokens.Claims(lineUserId, DateTimeOffset.UtcNow)));
        var body = $$"""{"idToken":"{{token}}","serviceUserId":"{{serviceUserId}}"}""";
        Assert.Equal(200, record.Answer(await app.Function<LiffLinkFunction>().Run(HttpRequests.PostJson("/api/links/liff", body))));
        Assert.Equal(401, record.Answer(await app.Function<LiffLinkFunction>().Run(HttpRequests.PostJson("/api/links/liff", body))));
        var expired = LiffIdTokens.Claims(lineUserId, DateTimeOffset.UtcNow.AddHours(-2));
        var old = record.Secret("LIFF ID token", line.Liff.Sign(expired));
        Assert.Equal(401, record.Answer(await app.Function<LiffLinkFunction>().Run(
            HttpRequests.PostJson("/api/links/liff", $$"""{"idToken":"{{old}}","serviceUserId":"{{serviceUserId}}"}"""))));

        var (signedInLine, signedInService) = record.NewUsers();
        Assert.Equal(200, await SignedInAsync(signedInLine, signedInService, TestApp.PublicBaseUrl.GetLeftPart(UriPartial.Authority)));
        Assert.Equal(403, await SignedInAsync(signedInLine, signedInService, "https://evil.example"));
    }

    private async Task<int> SignedInAsync(string lineUserId, string serviceUserId, string origin)
    {
        var token = record.Secret("LIFF ID token", line.Liff.Sign(LiffIdTokens.Claims(lineUserId, DateTimeOffset.UtcNow)));
        var request = HttpRequests.PostJson("/api/links/liff/me", new JsonObject { ["idToken"] = token }.ToJsonString()).AsServiceUser(serviceUserId);
        request.Headers.Origin = origin;
        return record.Answer(await app.Function<LiffLinkFunction>().RunSignedIn(request));
    }

    private async Task<LineLoginFlow.Started> StartAsync(string serviceUserId) => Started(await Login.StartAsync(serviceUserId));

    /// <summary>The state, nonce and browser binding a start hands out.</summary>
    private LineLoginFlow.Started Started(LineLoginFlow.Started started)
    {
        var query = QueryHelpers.ParseQuery(started.AuthorizeUrl.Query);
        record.Secret("state", query["state"].Single()!);
        record.Secret("login nonce", query["nonce"].Single()!);
        record.Secret("browser binding", started.Cookie);
        return started;
    }

    private async Task<Microsoft.AspNetCore.Mvc.IActionResult> CallbackAsync(LineLoginFlow.Started started, string lineUserId)
    {
        var authorization = line.Authorize(started.AuthorizeUrl, lineUserId);
        record.Secret("code", authorization.Code);
        var (_, result) = await Login.CallbackAsync(authorization, started.Cookie);
        record.Answer(result);
        return result;
    }

    private async Task<Microsoft.AspNetCore.Mvc.IActionResult> AnswerAsync(string query, string cookie)
    {
        var (_, result) = await Login.CallbackAsync(query, cookie);
        record.Answer(result);
        return result;
    }

    private static string Query(params (string Name, string Value)[] pairs) =>
        QueryHelpers.AddQueryString("", pairs.Select(p => new KeyValuePair<string, string?>(p.Name, p.Value)));
}
