using System.Text;
using System.Text.Json;
using LinkFunctions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;

namespace LinkFunctions.Tests.Functions;

/// <summary>Requests as the ASP.NET Core integration hands them to a function, and readers for what comes back.</summary>
internal static class FunctionHttp
{
    public static HttpRequest Get(string path, string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("links.example.com");
        context.Request.PathBase = "/api";
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        return context.Request;
    }

    public static HttpRequest Post(string path, string body, bool withContentLength = true) =>
        Post(path, Encoding.UTF8.GetBytes(body), withContentLength);

    public static HttpRequest Post(string path, byte[] body, bool withContentLength = true)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("links.example.com");
        context.Request.PathBase = "/api";
        context.Request.Path = path;
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = withContentLength ? body.Length : null;
        return context.Request;
    }

    public static int Status(IActionResult result) => result switch
    {
        ContentResult content => content.StatusCode ?? 200,
        IStatusCodeActionResult status => status.StatusCode ?? 200,
        RedirectResult redirect => redirect.Permanent ? 301 : 302,
        _ => throw new InvalidOperationException($"Unexpected result {result.GetType().Name}"),
    };

    public static JsonElement Json(IActionResult result)
    {
        var content = Assert.IsType<ContentResult>(result);
        Assert.StartsWith("application/json", content.ContentType);
        return JsonDocument.Parse(content.Content!).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 9457 problem with the status and stable type, and returns its detail.</summary>
    public static string Problem(IActionResult result, int status, string type)
    {
        var content = Assert.IsType<ContentResult>(result);
        Assert.Equal(status, content.StatusCode);
        Assert.StartsWith("application/problem+json", content.ContentType);
        var problem = JsonDocument.Parse(content.Content!).RootElement;
        Assert.Equal(HttpResults.ProblemTypeBase + type, problem.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        var detail = problem.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail));
        return detail!;
    }

    public static void AssertNoStore(HttpRequest request)
    {
        Assert.Equal("no-store", request.HttpContext.Response.Headers.CacheControl.ToString());
        Assert.Equal("no-referrer", request.HttpContext.Response.Headers["Referrer-Policy"].ToString());
    }
}
