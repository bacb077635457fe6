using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Simulator.Line;

/// <summary>
/// LINE Login v2.1: the authorize page ("log in as" a simulated user, then consent), the token endpoint (single-use
/// code, redirect_uri, client credentials and the PKCE verifier checked; an HS256 ID token), verify, and the JWKS.
/// </summary>
public sealed class LoginApi(LineUsers users, IdTokens idTokens, WebhookSender webhooks, ReplyTokens replyTokens, IOptions<SimulatorOptions> options)
{
    private sealed record Grant(string UserId, string ClientId, string RedirectUri, string? Nonce, string CodeChallenge, DateTimeOffset ExpiresAt);

    private static readonly string[] AuthorizeParameters =
        ["response_type", "client_id", "redirect_uri", "state", "scope", "nonce", "code_challenge", "code_challenge_method", "prompt", "bot_prompt"];

    private readonly ConcurrentDictionary<string, Grant> codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> accessTokens = new(StringComparer.Ordinal);

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/oauth2/v2.1/authorize", AuthorizePage);
        app.MapPost("/oauth2/v2.1/authorize", Approve);
        app.MapPost("/oauth2/v2.1/token", Token);
        app.MapPost("/oauth2/v2.1/verify", Verify);
        app.MapGet("/oauth2/v2.1/certs", () => Results.Text(idTokens.Jwks(), "application/json"));
        app.MapPost("/oauth2/v2.1/revoke", async (HttpRequest request) =>
        {
            Revoke((await request.ReadFormAsync())["access_token"]);
            return Results.Ok();
        });
    }

    /// <summary>Ends a user's authorization of the LINE Login channel (revoke, or the Messaging API's deauthorize).</summary>
    public bool Revoke(string? accessToken) => accessToken is not null && accessTokens.TryRemove(accessToken, out _);

    private IResult AuthorizePage(HttpRequest request)
    {
        var q = request.Query;
        var problem = q["response_type"] != "code" ? "response_type must be code"
            : q["client_id"] != options.Value.LoginChannelId ? "client_id is not the simulated LINE Login channel"
            : string.IsNullOrEmpty(q["redirect_uri"]) || string.IsNullOrEmpty(q["state"]) ? "redirect_uri and state are required"
            : !q["scope"].ToString().Split(' ').Contains("openid") ? "scope must include openid"
            : q["code_challenge_method"] != "S256" || string.IsNullOrEmpty(q["code_challenge"]) ? "PKCE with S256 is required"
            : null;
        if (problem is not null)
        {
            return Html.Page("LINE Login", "line", $"<h1>400 Bad Request</h1><p class=\"error\">{Html.E(problem)}</p>", StatusCodes.Status400BadRequest);
        }

        var hidden = string.Concat(AuthorizeParameters.Where(p => q.ContainsKey(p)).Select(p => Html.Hidden(p, q[p])));
        var choices = string.Concat(users.All.Select(u => $"""<option value="{Html.E(u.UserId)}">{Html.E(u.Name)}</option>"""));
        var friend = q.ContainsKey("bot_prompt")
            ? """<label class="check"><input type="checkbox" name="add_friend" value="1"> Add the Official Account as a friend</label>"""
            : "";
        var body = users.All.Count == 0
            ? "<h1>Log in to LINE</h1><p>No simulated LINE user yet: create one on the <a href=\"/\">chat page</a> first.</p>"
            : $"""
              <h1>Log in to LINE</h1>
              <form method="post" action="/oauth2/v2.1/authorize">{hidden}
              <label>Log in as <select name="user_id" id="line-user">{choices}</select></label>
              <p class="consent">The service asks for your <b>profile</b> and <b>OpenID</b> (your LINE user ID).</p>
              {friend}
              <div class="actions"><button name="decision" value="allow" id="allow" class="primary">Allow</button>
              <button name="decision" value="cancel" id="cancel">Cancel</button></div></form>
              """;
        return Html.Page("LINE Login", "line", body);
    }

    private async Task<IResult> Approve(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var redirectUri = form["redirect_uri"].ToString();
        var state = form["state"].ToString();
        if (form["client_id"] != options.Value.LoginChannelId || !Uri.TryCreate(redirectUri, UriKind.Absolute, out _))
        {
            return Results.BadRequest();
        }

        if (form["decision"] != "allow" || users.Find(form["user_id"]) is not { } user)
        {
            return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, new Dictionary<string, string?>
            {
                ["error"] = "access_denied", ["error_description"] = "The user has denied the approval", ["state"] = state,
            }));
        }

        var code = LineIds.NewToken(16);
        codes[code] = new Grant(user.UserId, form["client_id"]!, redirectUri, form["nonce"], form["code_challenge"]!, DateTimeOffset.UtcNow.AddMinutes(10));
        var answer = new Dictionary<string, string?> { ["code"] = code, ["state"] = state };
        if (form.ContainsKey("bot_prompt"))
        {
            var added = form["add_friend"] == "1" && !user.IsFriend;
            answer["friendship_status_changed"] = added ? "true" : "false";
            if (added)
            {
                user.IsFriend = true;
                users.Note(user.UserId, "You added the Official Account as a friend (LINE Login bot prompt).");
                await webhooks.SendAsync(WebhookEvents.Follow(user.UserId, replyTokens.Issue(user.UserId)));
            }
        }

        return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, answer));
    }

    private async Task<IResult> Token(HttpRequest request)
    {
        var form = await request.ReadFormAsync();

        // Single use whatever the outcome, as LINE documents.
        if (form["grant_type"] != "authorization_code" || !codes.TryRemove(form["code"].ToString(), out var grant) || DateTimeOffset.UtcNow >= grant.ExpiresAt)
        {
            return Results.Json(new { error = "invalid_grant", error_description = "invalid authorization code" }, statusCode: 400);
        }

        var verifier = form["code_verifier"].ToString();
        var challenge = System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        if (form["redirect_uri"] != grant.RedirectUri || form["client_id"] != grant.ClientId || form["client_secret"] != options.Value.LoginChannelSecret
            || challenge != grant.CodeChallenge)
        {
            return Results.Json(new { error = "invalid_grant", error_description = "redirect_uri, client or code_verifier mismatch" }, statusCode: 400);
        }

        var user = users.Find(grant.UserId)!;
        var accessToken = LineIds.NewToken(32);
        accessTokens[accessToken] = user.UserId;
        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = accessToken,
            ["expires_in"] = 2592000,
            ["id_token"] = IdTokens.Hs256(IdTokens.Claims(user, grant.ClientId, grant.Nonce, "linesso"), options.Value.LoginChannelSecret),
            ["refresh_token"] = LineIds.NewToken(32),
            ["scope"] = "openid profile",
            ["token_type"] = "Bearer",
        });
    }

    private async Task<IResult> Verify(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var claims = idTokens.Verify(form["id_token"].ToString(), options.Value.LoginChannelSecret);
        return claims is not null && claims["aud"]?.GetValue<string>() == form["client_id"]
            ? Results.Text(claims.ToJsonString(), "application/json")
            : Results.Json(new { error = "invalid_request", error_description = "Invalid IdToken." }, statusCode: 400);
    }
}
