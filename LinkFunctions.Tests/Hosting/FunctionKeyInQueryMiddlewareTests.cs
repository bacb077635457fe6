using LinkFunctions.DevHost;
using LinkFunctions.Hosting;
using LinkFunctions.Tests.Functions;
using LinkFunctions.Tests.Infra;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace LinkFunctions.Tests.Hosting;

public class FunctionKeyInQueryMiddlewareTests
{
    public static TheoryData<string> KeyedFunctions => [.. Contracted("Function")];

    public static TheoryData<string> AnonymousFunctions => [.. Contracted("Anonymous")];

    private static IEnumerable<string> Contracted(string authLevel) =>
        FunctionMetadataTests.Contract.Where(row => (string)row[3] == authLevel).Select(row => (string)row[0]);

    private static HostedFunctionContext Invocation(string function, string query, IReadOnlyDictionary<string, string>? headers = null) =>
        new(function, HttpRequests.Get("/api/anything", query, headers).HttpContext);

    /// <summary>
    /// Runs the invocation as the worker would: through the middleware only when its predicate selects the function.
    /// Returns whether the function ran, and the result the middleware set instead.
    /// </summary>
    private static async Task<(bool Ran, IActionResult? Refusal)> RunAsync(HostedFunctionContext context)
    {
        var ran = false;
        IActionResult? refusal = null;
        FunctionExecutionDelegate function = _ =>
        {
            ran = true;
            return Task.CompletedTask;
        };

        await (FunctionKeyInQueryMiddleware.AppliesTo(context)
            ? FunctionKeyInQueryMiddleware.InvokeAsync(context, function, result => refusal = result)
            : function(context));
        return (ran, refusal);
    }

    [Theory]
    [MemberData(nameof(KeyedFunctions))]
    public async Task Invoke_KeyedFunctionWithCodeInQuery_BadRequestBeforeTheFunctionRuns(string function)
    {
        var context = Invocation(function, "?code=leaked-key", new Dictionary<string, string> { ["x-functions-key"] = "leaked-key" });

        var (ran, refusal) = await RunAsync(context);

        Assert.False(ran);
        var detail = FunctionHttp.Problem(Assert.IsAssignableFrom<IActionResult>(refusal), 400, "function-key-in-query");
        Assert.Contains("x-functions-key", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("leaked-key", detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(KeyedFunctions))]
    public async Task Invoke_KeyedFunctionWithKeyInHeader_RunsTheFunction(string function)
    {
        var context = Invocation(function, "?serviceUserId=alice", new Dictionary<string, string> { ["x-functions-key"] = "key" });

        Assert.Equal((true, null), await RunAsync(context));
    }

    [Theory]
    [MemberData(nameof(AnonymousFunctions))]
    public async Task Invoke_AnonymousFunctionWithCodeInQuery_RunsTheFunction(string function)
    {
        // The LINE Login callback's ?code= is LINE's authorization code, not a key.
        var context = Invocation(function, "?code=authorization-code&state=s");

        Assert.Equal((true, null), await RunAsync(context));
    }

    [Fact]
    public async Task Invoke_CodeInQueryInAnotherCase_BadRequest()
    {
        var context = Invocation("PushToUser", "?CODE=leaked-key");

        var (ran, refusal) = await RunAsync(context);

        Assert.False(ran);
        FunctionHttp.Problem(refusal!, 400, "function-key-in-query");
    }

    [Fact]
    public void KeyedFunctions_AreTheContractsFunctionLevelRoutes()
    {
        Assert.Equal(
            Contracted("Function").Order(StringComparer.Ordinal),
            FunctionKeyInQueryMiddleware.KeyedFunctions.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Program_UsesTheCheckAfterTheAspNetCoreIntegration()
    {
        // The integration's own middleware attaches the HttpContext; before it, the check would see no request.
        var program = RepoRoot.ReadAllText("LinkFunctions/Program.cs");
        var integration = program.IndexOf("builder.ConfigureFunctionsWebApplication();", StringComparison.Ordinal);
        var check = program.IndexOf("builder.UseFunctionKeyHeaderOnly();", StringComparison.Ordinal);

        Assert.True(integration >= 0 && check > integration, "Program.cs must call UseFunctionKeyHeaderOnly() after ConfigureFunctionsWebApplication().");
    }
}
