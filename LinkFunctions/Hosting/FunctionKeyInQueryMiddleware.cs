using System.Collections.Frozen;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Hosting;

namespace LinkFunctions.Hosting;

/// <summary>
/// Backend keys travel only in the <c>x-functions-key</c> header. A key in <c>?code=</c> ends up in URLs, proxies
/// and request logs, and a key leaked that way must not be able to push messages or erase data: the host has
/// already accepted it, so the app refuses the request before any work.
/// </summary>
public sealed class FunctionKeyInQueryMiddleware : IFunctionsWorkerMiddleware
{
    public const string QueryName = "code";

    /// <summary>Every function whose HTTP trigger needs a key; the anonymous ones (webhook, health, the LINE Login
    /// callback, whose <c>code</c> is an authorization code) are never touched.</summary>
    public static FrozenSet<string> KeyedFunctions { get; } = typeof(FunctionKeyInQueryMiddleware).Assembly.GetTypes()
        .SelectMany(type => type.GetMethods())
        .Where(method => method.GetParameters().Any(p => p.GetCustomAttribute<HttpTriggerAttribute>() is { AuthLevel: not AuthorizationLevel.Anonymous }))
        .Select(method => method.GetCustomAttribute<FunctionAttribute>()!.Name)
        .ToFrozenSet(StringComparer.Ordinal);

    public static bool AppliesTo(FunctionContext context) => KeyedFunctions.Contains(context.FunctionDefinition.Name);

    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next) =>
        InvokeAsync(context, next, refusal => context.GetInvocationResult().Value = refusal);

    /// <param name="refuse">Sets the invocation's result; the worker's binding feature behind it cannot be built outside the worker.</param>
    internal static Task InvokeAsync(FunctionContext context, FunctionExecutionDelegate next, Action<IActionResult> refuse)
    {
        if (context.GetHttpContext()?.Request.Query.ContainsKey(QueryName) == true)
        {
            refuse(HttpResults.BadRequest(
                "function-key-in-query", "Send the function key in the x-functions-key header, never as ?code=; rotate a key that was sent in a URL."));
            return Task.CompletedTask;
        }

        return next(context);
    }
}

public static class FunctionKeyExtensions
{
    /// <summary>Call after <c>ConfigureFunctionsWebApplication()</c>, whose middleware provides the HttpContext.</summary>
    public static IFunctionsWorkerApplicationBuilder UseFunctionKeyHeaderOnly(this IFunctionsWorkerApplicationBuilder builder) =>
        builder.UseWhen<FunctionKeyInQueryMiddleware>(FunctionKeyInQueryMiddleware.AppliesTo);
}
