using System.Reflection;
using LinkFunctions.Functions;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace LinkFunctions.Tests.Proof;

/// <summary>One HTTP function as the compiled app declares it: what the host would route to it.</summary>
public sealed record AppRoute(string Function, string Route, IReadOnlyList<string> Methods, MethodInfo Method)
{
    /// <summary>The route's <c>{name}</c> parameters, in order.</summary>
    public IReadOnlyList<string> Parameters => [.. Method.GetParameters().Skip(1).Select(p => p.Name!)];

    /// <summary>Activates the class from the app's provider, as the worker does, and calls the function with the bound route values.</summary>
    public async Task<IActionResult> InvokeAsync(TestApp app, HttpRequest request, IReadOnlyDictionary<string, string> routeValues)
    {
        var target = Method.IsStatic ? null : ActivatorUtilities.CreateInstance(app.Services, Method.DeclaringType!);
        var arguments = new object?[] { request }.Concat(Parameters.Select(name => (object?)routeValues[name])).ToArray();
        return Method.Invoke(target, arguments) switch
        {
            Task<IActionResult> pending => await pending,
            IActionResult done => done,
            var other => throw new InvalidOperationException($"{Function} returned {other?.GetType().Name ?? "null"}"),
        };
    }
}

/// <summary>
/// Every <c>[Function]</c> with an <c>[HttpTrigger]</c> in the app assembly, found by reflection, so that a function added
/// later enters the hostile-input suite without anyone remembering to list it.
/// </summary>
public static class RouteTable
{
    public static IReadOnlyList<AppRoute> All { get; } = Load();

    private static List<AppRoute> Load() =>
        [.. typeof(HealthFunction).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(method => (method, function: method.GetCustomAttribute<FunctionAttribute>()))
            .Where(m => m.function is not null)
            .Select(m => (m.method, m.function, trigger: m.method.GetParameters().FirstOrDefault()?.GetCustomAttribute<HttpTriggerAttribute>()))
            .Where(m => m.trigger is not null)
            .Select(m => new AppRoute(m.function!.Name, m.trigger!.Route ?? m.function.Name, [.. m.trigger.Methods ?? []], m.method))
            .OrderBy(r => r.Function, StringComparer.Ordinal)];
}
