using System.Collections;
using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace LinkFunctions.DevHost;

/// <summary>
/// An invocation as worker middleware sees it once the ASP.NET Core integration has attached the request: the
/// function's name and its HttpContext. Enough for the app's own middleware; bindings are the dev host's job.
/// </summary>
public sealed class HostedFunctionContext : FunctionContext
{
    private readonly InvocationFeatures features = new();

    public HostedFunctionContext(string functionName, HttpContext http)
    {
        FunctionDefinition = new Definition(functionName);
        InstanceServices = http.RequestServices;

        // The key FunctionContext.GetHttpContext() reads, as the integration's proxying middleware sets it.
        Items["HttpRequestContext"] = http;
        CancellationToken = http.RequestAborted;
    }

    public override string InvocationId { get; } = Guid.NewGuid().ToString("N");

    public override string FunctionId => FunctionDefinition.Id;

    public override TraceContext TraceContext => null!;

    public override BindingContext BindingContext => null!;

    public override RetryContext RetryContext => null!;

    public override IServiceProvider InstanceServices { get; set; }

    public override FunctionDefinition FunctionDefinition { get; }

    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

    public override IInvocationFeatures Features => features;

    public override CancellationToken CancellationToken { get; }

    private sealed class Definition(string name) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];

        public override string PathToAssembly => typeof(Definition).Assembly.Location;

        public override string EntryPoint => name;

        public override string Id => name;

        public override string Name => name;

        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }

    private sealed class InvocationFeatures : IInvocationFeatures
    {
        private readonly Dictionary<Type, object> items = [];

        public T? Get<T>() => items.TryGetValue(typeof(T), out var value) ? (T)value : default;

        public void Set<T>(T instance) => items[typeof(T)] = instance!;

        public IEnumerator<KeyValuePair<Type, object>> GetEnumerator() => items.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
