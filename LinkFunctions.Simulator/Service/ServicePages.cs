using System.Text.Json.Nodes;
using LinkFunctions.Simulator.Line;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LinkFunctions.Simulator.Service;

/// <summary>
/// "Your service" in Delegated mode: its own login (a service user ID, no password: it is a simulation), the linking
/// page LINE's linking URL lands on (Linking__ServiceLinkPageUrl), LINE Login and LIFF starts, unlink, and the link
/// as the app's lookup API reports it. Its backend calls the app with the function key.
/// </summary>
public sealed class ServicePages(AppClient app, NotificationInbox inbox, LineUsers users)
{
    public const string UserCookie = "service-user";
    public const string LinkPagePath = "/service/line/link";
    public const string DonePath = "/service/line/done";

    public sealed record LiffLinkBody(string? IdToken);

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/service", Home);
        routes.MapGet(DonePath, (HttpRequest request, string? result) => Home(request, result));
        routes.MapGet(LinkPagePath, (HttpRequest request, string? linkToken) => LoginPage(request, linkToken));
        routes.MapPost("/service/login", Login);
        routes.MapPost("/service/logout", (HttpResponse response) =>
        {
            response.Cookies.Delete(UserCookie);
            return Results.Redirect("/service");
        });
        routes.MapPost("/service/unlink", async (HttpRequest request) =>
            SignedIn(request) is { } user ? await After(app.DeleteAsync(LinkPath(user)), "Unlink") : Results.Redirect("/service"));
        routes.MapPost("/service/line-login", async (HttpRequest request) =>
        {
            if (SignedIn(request) is not { } user)
            {
                return Results.Redirect("/service");
            }

            var answer = await app.PostAsync("api/login/line/sessions", new { serviceUserId = user, returnUrl = Origin(request) + DonePath });
            return answer.Status == StatusCodes.Status200OK ? Results.Redirect(answer.Text("startUrl")!) : Problem("Log in with LINE", answer);
        });
        routes.MapGet("/service/liff", LiffPage);
        routes.MapPost("/service/liff/link", async (HttpRequest request, LiffLinkBody body) =>
            SignedIn(request) is { } user
                ? Answer(await app.PostAsync("api/links/liff", new { idToken = body.IdToken, serviceUserId = user }))
                : Results.Unauthorized());
    }

    public static string LinkPath(string serviceUserId) => $"api/links/users/{Uri.EscapeDataString(serviceUserId)}";

    private static string? SignedIn(HttpRequest request) => request.Cookies[UserCookie] is { Length: > 0 } user ? user : null;

    private static string Origin(HttpRequest request) => $"{request.Scheme}://{request.Host}";

    private static IResult Answer(AppAnswer answer) => Results.Json(new { status = answer.Status, body = answer.Body });

    private async Task<IResult> After(Task<AppAnswer> call, string action)
    {
        var answer = await call;
        return answer.Status < 300 ? Results.Redirect($"/service?done={Uri.EscapeDataString(action)}") : Problem(action, answer);
    }

    private static IResult Problem(string action, AppAnswer answer) => Html.Page(action, "service", $"""
        <h1>{Html.E(action)} failed</h1><p>The app answered <b>{answer.Status}</b>:</p><pre class="json">{Html.E(answer.Json())}</pre>
        <p><a href="/service">Back</a></p>
        """, StatusCodes.Status502BadGateway);

    private static IResult LoginPage(HttpRequest request, string? linkToken) => Html.Page("Sign in", "service", $"""
        <h1>Sign in to your service</h1>
        {(linkToken is null ? "" : "<p>Sign in to link your LINE account with your account here.</p>")}
        <form method="post" action="/service/login">{Html.Hidden("linkToken", linkToken)}
        <label>Service user ID <input name="serviceUserId" id="service-user-id" value="{Html.E(SignedIn(request))}" required maxlength="128"></label>
        <div class="actions"><button class="primary" id="sign-in">{(linkToken is null ? "Sign in" : "Sign in and link")}</button></div></form>
        """);

    private async Task<IResult> Login(HttpRequest request, HttpResponse response)
    {
        var form = await request.ReadFormAsync();
        var user = form["serviceUserId"].ToString().Trim();
        if (user.Length == 0)
        {
            return Results.Redirect("/service");
        }

        response.Cookies.Append(UserCookie, user, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/" });
        if (form["linkToken"] is not [{ Length: > 0 } linkToken])
        {
            return Results.Redirect("/service");
        }

        // Step 4 of LINE's account linking: the backend, having signed its user in, asks the app for the nonce redirect.
        var answer = await app.PostAsync("api/links/nonce", new { linkToken, serviceUserId = user });
        return answer.Status == StatusCodes.Status200OK ? Results.Redirect(answer.Text("redirectUrl")!) : Problem("Linking", answer);
    }

    private async Task<IResult> Home(HttpRequest request, string? result = null)
    {
        if (SignedIn(request) is not { } user)
        {
            return LoginPage(request, null);
        }

        var link = await app.GetAsync(LinkPath(user));
        var linked = link.Status == StatusCodes.Status200OK;
        var banner = result is null ? "" : $"<p class=\"banner-result\" id=\"login-result\">LINE Login result: <b>{Html.E(result)}</b></p>";
        var notifications = string.Concat(inbox.All.Reverse().Select(n => $"""
            <li class="{(n.SignatureValid ? "valid" : "invalid")}"><span class="badge">{(n.SignatureValid ? "signature valid" : "signature INVALID")}</span>
            <code>{Html.E(n.EventId)}</code><pre class="json">{Html.E(n.Body)}</pre></li>
            """));
        return Html.Page("Your service", "service", $"""
            <h1>Signed in as <span id="signed-in-user">{Html.E(user)}</span></h1>
            <form method="post" action="/service/logout" class="inline"><button>Sign out</button></form>
            {banner}
            <section><h2>LINE link <small>(the app's GET /{Html.E(LinkPath(user))})</small></h2>
            <p id="link-status" class="{(linked ? "linked" : "not-linked")}">{(linked ? $"Linked to LINE user {Html.E(link.Text("lineUserId"))} ({Html.E(UserName(link.Text("lineUserId")))}) by {Html.E(link.Text("method"))}" : "Not linked")}</p>
            <pre class="json" id="link-json">{link.Status} {Html.E(link.Json())}</pre>
            <div class="actions">
            <form method="post" action="/service/line-login" class="inline"><button class="primary" id="line-login">Log in with LINE</button></form>
            <a class="button" href="/service/liff" id="open-liff">Link in LIFF</a>
            <form method="post" action="/service/unlink" class="inline"><button id="unlink">Unlink</button></form>
            </div></section>
            <section><h2>Link notifications received <small>({NotificationInbox.Path})</small></h2><ul class="notifications" id="notifications">{notifications}</ul></section>
            <p><a href="/">Open the LINE chat simulator</a></p>
            """);
    }

    private string UserName(string? lineUserId) => users.Find(lineUserId)?.Name ?? "unknown to the simulator";

    private IResult LiffPage(HttpRequest request)
    {
        if (SignedIn(request) is not { } user)
        {
            return LoginPage(request, null);
        }

        var options = string.Concat(users.All.Select(u => $"""<option value="{Html.E(u.UserId)}">{Html.E(u.Name)}</option>"""));
        return Html.Page("LIFF", "line", $"""
            <h1>LIFF app <small>(simulated)</small></h1>
            <p>Your service's LIFF page, open in LINE. Service user: <b>{Html.E(user)}</b>.</p>
            <label>LINE is logged in as <select id="liff-user">{options}</select></label>
            <div class="actions"><button class="primary" id="liff-link">Link with liff.getIDToken()</button></div>
            <pre class="json" id="liff-result"></pre>
            <p><a href="/service">Back to the service</a></p>
            <script src="/liff.js"></script>
            """);
    }
}
