using System.Net;
using LinkFunctions.DevHost;
using LinkFunctions.Tests.Functions;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LinkFunctions.Tests.DevHost;

/// <summary>
/// CI has no Core Tools, so the browser tests reach the functions through the dev host. It must serve exactly what
/// the Functions host would: every function in functions.metadata at its route, methods and auth level, no more.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class DevHostAppTests(CosmosFixture cosmos) : IAsyncLifetime
{
    private LineFake line = null!;
    private DevHostServer host = null!;

    public static TheoryData<string> DeclaredFunctions => [.. HttpFunctionNames()];

    private static IEnumerable<string> HttpFunctionNames() =>
        FunctionMetadataTests.Declared.Keys.Where(name => !IsTimer(name)).Order(StringComparer.Ordinal);

    private static bool IsTimer(string name) =>
        FunctionMetadataTests.Declared[name].GetProperty("bindings").EnumerateArray().Any(b => b.GetProperty("type").GetString() == "timerTrigger");

    public async Task InitializeAsync()
    {
        line = await LineFake.StartAsync();
        host = await DevHostServer.StartAsync(TestApp.Settings(cosmos, line));
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await line.DisposeAsync();
    }

    private static (string Route, string[] Methods, string AuthLevel) Declared(string name)
    {
        var trigger = FunctionMetadataTests.Trigger(name);
        return (
            trigger.GetProperty("route").GetString()!,
            [.. trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant())],
            trigger.GetProperty("authLevel").GetString()!);
    }

    /// <summary>A concrete path for a route template: a valid LINE user ID or service user ID for each parameter.</summary>
    private static string PathFor(string route) =>
        "/api/" + route.Replace("{lineUserId}", "U" + new string('0', 32), StringComparison.Ordinal)
            .Replace("{serviceUserId}", "alice", StringComparison.Ordinal);

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? key = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT")
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            request.Headers.Add(FunctionEndpoint.KeyHeader, key);
        }

        return await host.Client.SendAsync(request);
    }

    [Fact]
    public void RouteTable_EqualsFunctionsMetadata()
    {
        var served = host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (
                Name: e.DisplayName!,
                Route: e.RoutePattern.RawText!,
                Methods: string.Join(',', e.Metadata.GetRequiredMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>().HttpMethods),
                Auth: e.Metadata.GetRequiredMetadata<HttpFunction>().AuthLevel.ToString()))
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .ToList();

        var declared = HttpFunctionNames()
            .Select(name =>
            {
                var (route, methods, authLevel) = Declared(name);
                return (Name: name, Route: "/api/" + route, Methods: string.Join(',', methods), Auth: authLevel);
            })
            .ToList();

        Assert.Equal(declared, served);
    }

    [Fact]
    public void Timers_EqualFunctionsMetadata_EachOnItsDeclaredSchedule()
    {
        var runner = host.App.Services.GetRequiredService<TimerFunctionRunner>();

        var declared = FunctionMetadataTests.Declared.Keys.Where(IsTimer).Order(StringComparer.Ordinal)
            .Select(name => (name, FunctionMetadataTests.Declared[name].GetProperty("bindings").EnumerateArray()
                .Single(b => b.GetProperty("type").GetString() == "timerTrigger").GetProperty("schedule").GetString()));
        Assert.NotEmpty(declared);
        Assert.Equal(declared, runner.Timers.Select(t => (t.Name, (string?)t.Schedule)).OrderBy(t => t.Name, StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(DeclaredFunctions))]
    public async Task Serve_DeclaredFunction_AnswersAtItsRouteAndMethodsWithItsAuthLevel(string name)
    {
        var (route, methods, authLevel) = Declared(name);
        foreach (var method in methods)
        {
            using var withoutKey = await SendAsync(method, PathFor(route));
            if (authLevel == "Function")
            {
                Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
                Assert.False(withoutKey.Headers.Contains(FunctionEndpoint.FunctionHeader), $"{name} ran without a key");
                using var wrongKey = await SendAsync(method, PathFor(route), "not-the-function-key");
                Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
                using var withKey = await SendAsync(method, PathFor(route), DevHostServer.FunctionKey);
                Assert.Equal(name, Assert.Single(withKey.Headers.GetValues(FunctionEndpoint.FunctionHeader)));
            }
            else
            {
                Assert.Equal("Anonymous", authLevel);
                Assert.Equal(name, Assert.Single(withoutKey.Headers.GetValues(FunctionEndpoint.FunctionHeader)));
            }
        }
    }

    [Fact]
    public async Task Serve_MethodNotDeclared_NeverReachesTheFunction()
    {
        using var response = await SendAsync("DELETE", "/api/health");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.False(response.Headers.Contains(FunctionEndpoint.FunctionHeader));
    }

    [Fact]
    public async Task Serve_Health_AnswersTheFunctionsBody()
    {
        using var response = await SendAsync("GET", "/api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"status\":\"ok\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Serve_RouteValue_IsBoundToTheFunctionParameter()
    {
        using var response = await SendAsync("GET", "/api/links/line-users/not-a-line-user", DevHostServer.FunctionKey);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid-line-user-id", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_ValidKeyInQuery_RefusedAsTheAppsMiddlewareRefusesIt()
    {
        using var response = await SendAsync("GET", "/api/health/ready?code=" + DevHostServer.FunctionKey);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("function-key-in-query", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WrongKeyInQuery_Unauthorized()
    {
        using var response = await SendAsync("GET", "/api/health/ready?code=wrong-key");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
