using System.Reflection;
using System.Text.Json;
using LinkFunctions.Functions;
using Microsoft.Azure.Functions.Worker;

namespace LinkFunctions.Tests.Functions;

/// <summary>
/// Tests cannot go through the Functions host, so a function left Anonymous by mistake would pass every other
/// test. The generated functions.metadata is what the host reads: its routes, methods and auth levels are the contract.
/// </summary>
public class FunctionMetadataTests
{
    public static TheoryData<string, string, string, string> Contract => new()
    {
        { "LineWebhook", "post", "line/webhook", "Anonymous" },
        { "IssueLinkToken", "post", "links/token", "Function" },
        { "AccountLinkRedirect", "get", "link", "Anonymous" },
        { "CreateAccountLinkRedirect", "post", "links/nonce", "Function" },
        { "GetLinkByServiceUser", "get", "links/users/{serviceUserId}", "Function" },
        { "GetLinkByLineUser", "get", "links/line-users/{lineUserId}", "Function" },
        { "DeleteLinkByServiceUser", "delete", "links/users/{serviceUserId}", "Function" },
        { "DeleteLinkByLineUser", "delete", "links/line-users/{lineUserId}", "Function" },
        { "Health", "get", "health", "Anonymous" },
        { "Readiness", "get", "health/ready", "Function" },
        { "LiffLink", "post", "links/liff", "Function" },

        // AppService mode's browser route: Easy Auth names the user, the origin gate and CORS stand in for the key.
        { "LiffLinkSignedIn", "post,options", "links/liff/me", "Anonymous" },
        { "LineLoginStart", "get", "login/line", "Anonymous" },
        { "CreateLineLoginSession", "post", "login/line/sessions", "Function" },
        { "LineLoginCallback", "get", "login/line/callback", "Anonymous" },
        { "PushToUser", "post", "messages/push", "Function" },
        { "LinkHistory", "get", "links/users/{serviceUserId}/history", "Function" },
        { "EraseUser", "delete", "users/{serviceUserId}", "Function" },
        { "EraseLineUser", "delete", "line-users/{lineUserId}", "Function" },
    };

    /// <summary>Functions without an HTTP trigger: name and timer schedule.</summary>
    public static TheoryData<string, string> Timers => new()
    {
        { "DrainLinkNotifications", DrainLinkNotificationsFunction.Schedule },
    };

    private static readonly Lazy<IReadOnlyDictionary<string, JsonElement>> Functions = new(Load);

    /// <summary>Every function in the built functions.metadata, by name.</summary>
    internal static IReadOnlyDictionary<string, JsonElement> Declared => Functions.Value;

    private static string MetadataPath()
    {
        // The build copies the app's output next to the test assembly; fall back to the app's own bin folder.
        var copied = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        if (File.Exists(copied) && File.Exists(Path.Combine(AppContext.BaseDirectory, "LinkFunctions.dll")))
        {
            return copied;
        }

        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "LinkFunctions.slnx")))
        {
            root = root.Parent;
        }

        Assert.True(root is not null, "LinkFunctions.slnx not found above " + AppContext.BaseDirectory);
        var configuration = typeof(FunctionMetadataTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        return Path.Combine(root!.FullName, "LinkFunctions", "bin", configuration, "net10.0", "functions.metadata");
    }

    private static IReadOnlyDictionary<string, JsonElement> Load()
    {
        var path = MetadataPath();
        Assert.True(File.Exists(path), $"functions.metadata not found at {path}; build the app first.");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.Clone());
    }

    internal static JsonElement Trigger(string name)
    {
        Assert.True(Functions.Value.TryGetValue(name, out var function), $"{name} is missing from functions.metadata");
        return Assert.Single(function.GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == "httpTrigger");
    }

    [Theory]
    [MemberData(nameof(Contract))]
    public void Metadata_Function_HasTheContractedRoute(string name, string method, string route, string authLevel)
    {
        _ = (method, authLevel);

        Assert.Equal(route, Trigger(name).GetProperty("route").GetString());
    }

    [Theory]
    [MemberData(nameof(Contract))]
    public void Metadata_Function_AcceptsOnlyTheContractedMethod(string name, string method, string route, string authLevel)
    {
        _ = (route, authLevel);

        var methods = Trigger(name).GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()).ToList();

        Assert.Equal(method.Split(','), methods);
    }

    [Theory]
    [MemberData(nameof(Contract))]
    public void Metadata_Function_HasTheContractedAuthLevel(string name, string method, string route, string authLevel)
    {
        _ = (method, route);

        Assert.Equal(authLevel, Trigger(name).GetProperty("authLevel").GetString(), ignoreCase: true);
    }

    [Fact]
    public void Metadata_AllFunctions_AreExactlyTheContractedOnes()
    {
        var contracted = Contract.Select(row => (string)row[0]).Concat(Timers.Select(row => (string)row[0])).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(contracted, Functions.Value.Keys.Order(StringComparer.Ordinal).ToList());
    }

    [Theory]
    [MemberData(nameof(Timers))]
    public void Metadata_TimerFunction_RunsOnTheContractedSchedule(string name, string schedule)
    {
        Assert.True(Functions.Value.TryGetValue(name, out var function), $"{name} is missing from functions.metadata");
        var trigger = Assert.Single(function.GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == "timerTrigger");

        Assert.Equal("0 */1 * * * *", trigger.GetProperty("schedule").GetString());
        Assert.Equal(schedule, trigger.GetProperty("schedule").GetString());
    }

    [Fact]
    public void Metadata_EveryEntryPoint_ExistsInTheCompiledApp()
    {
        var app = typeof(HealthFunction).Assembly;

        foreach (var (name, function) in Functions.Value)
        {
            var entryPoint = function.GetProperty("entryPoint").GetString()!;
            var split = entryPoint.LastIndexOf('.');
            var type = app.GetType(entryPoint[..split]);
            Assert.True(type is not null, $"{name}: type of {entryPoint} not found");
            var method = type!.GetMethod(entryPoint[(split + 1)..]);
            Assert.True(method is not null, $"{name}: {entryPoint} not found");
            Assert.Equal(name, method!.GetCustomAttribute<FunctionAttribute>()?.Name);
        }
    }

    [Fact]
    public void Metadata_EveryFunctionInTheCompiledApp_IsListed()
    {
        var declared = typeof(HealthFunction).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => m.GetCustomAttribute<FunctionAttribute>()?.Name)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(declared, Functions.Value.Keys.Order(StringComparer.Ordinal).ToList());
    }
}
