using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace LinkFunctions.DevHost;

/// <summary>One HTTP-triggered function as functions.metadata declares it, with the method that implements it.</summary>
public sealed record HttpFunction(string Name, string Route, IReadOnlyList<string> Methods, AuthorizationLevel AuthLevel, MethodInfo EntryPoint);

/// <summary>One timer-triggered function: its NCRONTAB schedule (with seconds, as the host reads it) and its method.</summary>
public sealed record TimerFunction(string Name, string Schedule, MethodInfo EntryPoint);

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
        return [.. functions.Where(f => Trigger(f!, TimerTrigger) is null).Select(f => Resolve(f!, app))];
    }

    /// <summary>The timer functions, which the dev host runs on their schedules as the host would.</summary>
    public static IReadOnlyList<TimerFunction> LoadTimers(string metadataPath, Assembly app)
    {
        var functions = JsonNode.Parse(File.ReadAllText(metadataPath))!.AsArray();
        return [.. functions.Select(f => (Function: f!, Trigger: Trigger(f!, TimerTrigger))).Where(f => f.Trigger is not null).Select(f =>
        {
            var name = f.Function["name"]!.GetValue<string>();
            return new TimerFunction(name, f.Trigger!["schedule"]!.GetValue<string>(), EntryPoint(f.Function, name, app));
        })];
    }

    private const string TimerTrigger = "timerTrigger";

    private static JsonNode? Trigger(JsonNode function, string type) =>
        function["bindings"]!.AsArray().SingleOrDefault(b => b!["type"]!.GetValue<string>() == type);

    private static MethodInfo EntryPoint(JsonNode function, string name, Assembly app)
    {
        var entryPoint = function["entryPoint"]!.GetValue<string>();
        var split = entryPoint.LastIndexOf('.');
        var type = app.GetType(entryPoint[..split]) ?? throw new InvalidOperationException($"{name}: type of {entryPoint} not found in {app.GetName().Name}.");
        return type.GetMethod(entryPoint[(split + 1)..]) ?? throw new InvalidOperationException($"{name}: {entryPoint} not found.");
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
        var trigger = Trigger(function, "httpTrigger")
            ?? throw new InvalidOperationException($"{name}: only HTTP- and timer-triggered functions can be served by the dev host.");
        var method = EntryPoint(function, name, app);
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
