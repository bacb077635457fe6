using System.Security.Cryptography;
using System.Text;
using LinkFunctions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LinkFunctions.DevHost;

/// <summary>
/// One request to one function, as the Functions host and the worker's ASP.NET Core integration would run it: the
/// host's key check, the app's worker middleware, the function class activated from the app's services, route
/// values bound by parameter name, and the IActionResult executed on the response.
/// </summary>
public static class FunctionEndpoint
{
    public const string KeyHeader = "x-functions-key";

    /// <summary>Names the function that answered, so tests can tell the dev host's own 401/404 from a function's.</summary>
    public const string FunctionHeader = "x-devhost-function";

    public static async Task InvokeAsync(HttpContext http, HttpFunction function)
    {
        if (!Authorized(http.Request, function.AuthLevel, http.RequestServices.GetRequiredService<IOptions<DevHostOptions>>().Value.FunctionKey))
        {
            // The host answers a missing or wrong key with a bare 401, before the worker sees the request.
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        http.Response.Headers[FunctionHeader] = function.Name;
        var context = new HostedFunctionContext(function.Name, http);
        IActionResult? result = null;
        Task Run(FunctionContext _) => RunAsync(http, context, function, r => result = r);

        await (FunctionKeyInQueryMiddleware.AppliesTo(context)
            ? FunctionKeyInQueryMiddleware.InvokeAsync(context, Run, refusal => result = refusal)
            : Run(context));
        await result!.ExecuteResultAsync(new ActionContext(http, http.GetRouteData(), new ActionDescriptor()));
    }

    /// <summary>Like the host: a function-level route takes the key from the header or <c>?code=</c>; anonymous takes none.</summary>
    internal static bool Authorized(HttpRequest request, AuthorizationLevel level, string functionKey)
    {
        if (level == AuthorizationLevel.Anonymous)
        {
            return true;
        }

        if (level != AuthorizationLevel.Function || string.IsNullOrEmpty(functionKey))
        {
            // Admin and system keys do not exist locally: fail closed.
            return false;
        }

        var presented = request.Headers[KeyHeader].FirstOrDefault() ?? request.Query[FunctionKeyInQueryMiddleware.QueryName].FirstOrDefault();
        return presented is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(functionKey));
    }

    private static async Task RunAsync(HttpContext http, FunctionContext context, HttpFunction function, Action<IActionResult> setResult)
    {
        var instance = ActivatorUtilities.CreateInstance(http.RequestServices, function.EntryPoint.DeclaringType!);
        var arguments = function.EntryPoint.GetParameters().Select(p => Bind(p, http, context)).ToArray();
        var returned = function.EntryPoint.Invoke(instance, arguments);
        setResult(returned is Task<IActionResult> pending ? await pending : (IActionResult)returned!);
    }

    private static object? Bind(System.Reflection.ParameterInfo parameter, HttpContext http, FunctionContext context) => parameter.ParameterType switch
    {
        var t when t == typeof(HttpRequest) => http.Request,
        var t when t == typeof(HttpContext) => http,
        var t when t == typeof(FunctionContext) => context,
        var t when t == typeof(CancellationToken) => http.RequestAborted,
        _ => http.GetRouteValue(parameter.Name!)?.ToString(),
    };
}
