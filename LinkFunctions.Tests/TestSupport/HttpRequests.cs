using System.Text;
using LinkFunctions.Webhook;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;

namespace LinkFunctions.Tests.TestSupport;

/// <summary>Requests as the ASP.NET Core integration hands them to a function: a <see cref="DefaultHttpContext"/>.</summary>
public static class HttpRequests
{
    public static HttpRequest Post(string path, byte[] body, IReadOnlyDictionary<string, string>? headers = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.Path = path;
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        context.Request.ContentType = "application/json; charset=utf-8";
        context.Response.Body = new MemoryStream();
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            context.Request.Headers[name] = value;
        }

        return context.Request;
    }

    public static HttpRequest PostJson(string path, string json) => Post(path, Encoding.UTF8.GetBytes(json));

    public static HttpRequest Get(string path, string query = "", IReadOnlyDictionary<string, string>? headers = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        context.Response.Body = new MemoryStream();
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            context.Request.Headers[name] = value;
        }

        return context.Request;
    }

    /// <summary>A webhook request signed with the test channel secret, over exactly these bytes.</summary>
    public static HttpRequest SignedWebhook(string body, string secret = TestApp.ChannelSecret)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        return Post("/api/line/webhook", bytes, new Dictionary<string, string>
        {
            [WebhookSignature.HeaderName] = WebhookSignature.Compute(Encoding.UTF8.GetBytes(secret), bytes),
        });
    }

    public static HttpRequest AsServiceUser(this HttpRequest request, string serviceUserId, string provider = TestApp.LoginProvider)
    {
        request.Headers["X-MS-CLIENT-PRINCIPAL-ID"] = serviceUserId;
        request.Headers["X-MS-CLIENT-PRINCIPAL-IDP"] = provider;
        return request;
    }

    public static int Status(IActionResult result) => result switch
    {
        ContentResult content => content.StatusCode ?? 200,
        RedirectResult redirect => redirect.Permanent ? 301 : 302,
        IStatusCodeActionResult status => status.StatusCode ?? 200,
        _ => throw new InvalidOperationException($"Unexpected result {result.GetType().Name}"),
    };

    public static string Content(IActionResult result) => Assert.IsType<ContentResult>(result).Content ?? "";

    public static Uri Location(IActionResult result) => new(Assert.IsType<RedirectResult>(result).Url, UriKind.RelativeOrAbsolute);
}
