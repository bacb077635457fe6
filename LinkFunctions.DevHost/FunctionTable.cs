using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace LinkFunctions.DevHost;

/// <summary>One HTTP-triggered function as functions.metadata declares it, with the method that implements it.</summary>
public sealed record HttpFunction(string Name, string Route, IReadOnlyList<string> Methods, AuthorizationLevel AuthLevel, MethodInfo EntryPoint);

/// <summary>
/// The functions to serve, read from the generated functions.metadata: the file the Functions host reads, so the
/// dev host serves exactly the routes, methods and auth levels the real host would, not what the attributes say.
/// </summary>
public static class FunctionTable
{
    public const string MetadataFile = "functions.metadata";

    /// <summary>Parameter types the dev host can bind, besides route values bound by name to strings.</summary>
    private static readonly Type[] Bindable = [typeof(HttpRequest), typeof(HttpContext), typeof(FunctionContext), typeof(CancellationToken)];

    public static string DefaultMetadataPath => Path.Combine(AppContext.BaseDirectory, MetadataFile);

    public static IReadOnlyList<HttpFunction> Load(string metadataPath, Assembly app)
    {
        var functions = JsonNode.Parse(File.ReadAllText(metadataPath))!.AsArray();
        return [.. functions.Select(f => Resolve(f!, app))];
    }

    /// <summary>host.json's <c>extensions.http.routePrefix</c>; the host's default is <c>api</c>.</summary>
    public static string RoutePrefix(string hostJsonPath)
    {
        if (!File.Exists(hostJsonPath))
        {
            return "api";
        }

        var host = JsonNode.Parse(File.ReadAllText(hostJsonPath), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        return host?["extensions"]?["http"]?["routePrefix"]?.GetValue<string>() ?? "api";
    }

    private static HttpFunction Resolve(JsonNode function, Assembly app)
    {
        var name = function["name"]!.GetValue<string>();
        var trigger = function["bindings"]!.AsArray().SingleOrDefault(b => b!["type"]!.GetValue<string>() == "httpTrigger")
            ?? throw new InvalidOperationException($"{name}: only HTTP-triggered functions can be served by the dev host.");
        var entryPoint = function["entryPoint"]!.GetValue<string>();
        var split = entryPoint.LastIndexOf('.');
        var type = app.GetType(entryPoint[..split]) ?? throw new InvalidOperationException($"{name}: type of {entryPoint} not found in {app.GetName().Name}.");
        var method = type.GetMethod(entryPoint[(split + 1)..]) ?? throw new InvalidOperationException($"{name}: {entryPoint} not found.");
        var route = trigger["route"]?.GetValue<string>() ?? name;
        var template = Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse(route);
        foreach (var parameter in method.GetParameters())
        {
            var bindable = Bindable.Contains(parameter.ParameterType)
                || (parameter.ParameterType == typeof(string) && template.GetParameter(parameter.Name!) is not null);
            if (!bindable)
            {
                throw new InvalidOperationException($"{name}: the dev host cannot bind parameter {parameter.Name} ({parameter.ParameterType.Name}).");
            }
        }

        if (method.ReturnType != typeof(IActionResult) && method.ReturnType != typeof(Task<IActionResult>))
        {
            throw new InvalidOperationException($"{name}: the dev host serves functions that return IActionResult or Task<IActionResult>.");
        }

        var methods = trigger["methods"]?.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()).ToList() ?? [];
        var level = Enum.Parse<AuthorizationLevel>(trigger["authLevel"]?.GetValue<string>() ?? nameof(AuthorizationLevel.Function), ignoreCase: true);
        return new HttpFunction(name, route, methods, level, method);
    }
}
