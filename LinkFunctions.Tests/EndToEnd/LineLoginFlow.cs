using System.Text.Json;
using LinkFunctions.Functions;
using LinkFunctions.Login;
using LinkFunctions.Storage;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace LinkFunctions.Tests.EndToEnd;

/// <summary>A browser and LINE in a LINE Login link, driven through the real functions.</summary>
public sealed class LineLoginFlow(TestApp app, LineFake line)
{
    public const string ReturnUrl = "https://service.example.com/line/done?from=settings";
    public const string ReturnPrefix = "https://service.example.com/line/done";

    /// <summary>A fixed test key: 32 bytes in base64.</summary>
    public static readonly string TokenKey = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)((i * 7) + 3)).ToArray());

    public sealed record Started(Uri AuthorizeUrl, string Cookie);

    public static void Settings(Dictionary<string, string?> settings)
    {
        settings["LineLogin:ChannelId"] = LineFake.LoginChannelId;
        settings["LineLogin:ChannelSecret"] = LineFake.LoginChannelSecret;
        settings["LineLogin:TokenKey"] = TokenKey;
        settings["Linking:AllowedReturnUrls:0"] = ReturnPrefix;
        settings["Linking:AllowedReturnUrls:1"] = "https://allowed.example/";
    }

    /// <summary>AppService mode: the signed-in user opens <c>/api/login/line?returnUrl=…</c>.</summary>
    public async Task<Started> StartAsync(string serviceUserId, string returnUrl = ReturnUrl)
    {
        var (request, result) = await GetStartAsync(QueryHelpers.AddQueryString("", "returnUrl", returnUrl), serviceUserId);
        return Redirected(request, result);
    }

    public async Task<(HttpRequest Request, IActionResult Result)> GetStartAsync(string query, string? serviceUserId = null)
    {
        var request = HttpRequests.Get("/api/login/line", query);
        if (serviceUserId is not null)
        {
            request.AsServiceUser(serviceUserId);
        }

        return (request, await app.Function<LineLoginStartFunction>().Run(request));
    }

    /// <summary>Delegated mode: the service's backend asks for a startUrl.</summary>
    public async Task<(Uri StartUrl, DateTimeOffset ExpiresAt)> CreateSessionAsync(string serviceUserId, string returnUrl = ReturnUrl)
    {
        var body = JsonSerializer.Serialize(new { serviceUserId, returnUrl });
        var request = HttpRequests.PostJson("/api/login/line/sessions", body);
        var result = await app.Function<CreateLineLoginSessionFunction>().Run(request);
        Assert.Equal(200, HttpRequests.Status(result));
        using var json = JsonDocument.Parse(HttpRequests.Content(result));
        return (new Uri(json.RootElement.GetProperty("startUrl").GetString()!), json.RootElement.GetProperty("expiresAt").GetDateTimeOffset());
    }

    public Task<(HttpRequest Request, IActionResult Result)> OpenStartUrlAsync(Uri startUrl) => GetStartAsync(startUrl.Query);

    /// <summary>The start's answer: a 302 to LINE, no-store, and the browser-binding cookie with every attribute.</summary>
    public static Started Redirected(HttpRequest request, IActionResult result)
    {
        Assert.Equal(302, HttpRequests.Status(result));
        AssertNoStore(request.HttpContext.Response);
        var cookie = Assert.Single(SetCookies(request.HttpContext.Response), c => c.Name == LoginPolicy.BrowserBindingCookie);
        Assert.True(cookie.Secure && cookie.HttpOnly && cookie.Path == "/" && cookie.SameSite == Microsoft.Net.Http.Headers.SameSiteMode.Lax && cookie.Domain.Length == 0);
        return new Started(HttpRequests.Location(result), cookie.Value.ToString());
    }

    public static IList<SetCookieHeaderValue> SetCookies(HttpResponse response) =>
        SetCookieHeaderValue.ParseList(response.Headers.SetCookie.Select(v => v!).ToList());

    public static void AssertNoStore(HttpResponse response)
    {
        Assert.Equal("no-store", response.Headers.CacheControl.ToString());
        Assert.Equal("no-referrer", response.Headers["Referrer-Policy"].ToString());
    }

    public async Task<(HttpRequest Request, IActionResult Result)> CallbackAsync(string query, string? cookie)
    {
        var headers = cookie is null ? null : new Dictionary<string, string> { ["Cookie"] = $"{LoginPolicy.BrowserBindingCookie}={cookie}" };
        var request = HttpRequests.Get("/api/login/line/callback", query, headers);
        var result = await app.Function<LineLoginCallbackFunction>().Run(request);
        AssertNoStore(request.HttpContext.Response);
        return (request, result);
    }

    public Task<(HttpRequest Request, IActionResult Result)> CallbackAsync(LoginAuthorization authorization, string? cookie, string extra = "") =>
        CallbackAsync(QueryHelpers.AddQueryString("", new Dictionary<string, string?> { ["code"] = authorization.Code, ["state"] = authorization.State }) + extra, cookie);

    /// <summary>Start, approve on LINE, come back: returns the result the service's returnUrl receives.</summary>
    public async Task<string> LinkAsync(string serviceUserId, string lineUserId)
    {
        var started = await StartAsync(serviceUserId);
        var (_, result) = await CallbackAsync(line.Authorize(started.AuthorizeUrl, lineUserId), started.Cookie);
        return Result(result);
    }

    /// <summary>The <c>result</c> added to the stored returnUrl: the only parameter added, the others kept.</summary>
    public static string Result(IActionResult result)
    {
        Assert.Equal(302, HttpRequests.Status(result));
        var location = HttpRequests.Location(result);
        Assert.Equal(ReturnPrefix, location.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal(new[] { "from", LoginResults.Parameter }, query.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("settings", query["from"].Single());
        return query[LoginResults.Parameter].Single()!;
    }

    /// <summary>One of our own pages: never a redirect, and nothing from the query in it.</summary>
    public static string Page(IActionResult result, int status)
    {
        var content = Assert.IsType<ContentResult>(result);
        Assert.Equal(status, content.StatusCode);
        Assert.StartsWith("text/html", content.ContentType);
        return content.Content!;
    }

    public Task<Stored<LineLoginGrantDocument>?> GrantAsync(string lineUserId) =>
        app.Get<ILineLoginStore>().ReadGrantAsync(app.Get<ProviderKey>().Grant(lineUserId), default);
}
