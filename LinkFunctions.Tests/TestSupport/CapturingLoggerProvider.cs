using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Tests.TestSupport;

/// <summary>One log entry as a sink would store it: the rendered message, every structured value, scopes, exception.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string Text);

/// <summary>
/// Records every log entry of every category (framework included) at Trace, with all that a real provider could
/// write, so that tests can read what the logs would contain.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLog> entries = new();
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<CapturedLog> Entries => [.. entries];

    /// <summary>Adds the provider and lowers every filter to Trace, overriding the app's own category filters.</summary>
    public void AddTo(IServiceCollection services)
    {
        services.AddSingleton<ILoggerProvider>(this);
        services.Configure<LoggerFilterOptions>(options =>
        {
            options.Rules.Clear();
            options.MinLevel = LogLevel.Trace;
        });
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder(formatter(state, exception));
            Append(text, state);
            provider.scopes.ForEachScope((scope, builder) => Append(builder, scope), text);
            text.Append(' ').Append(exception);
            provider.entries.Enqueue(new CapturedLog(category, logLevel, text.ToString()));
        }

        private static void Append(StringBuilder text, object? state)
        {
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    text.Append(' ').Append(key).Append('=').Append(value);
                }
            }
            else
            {
                text.Append(' ').Append(state);
            }
        }
    }
}
