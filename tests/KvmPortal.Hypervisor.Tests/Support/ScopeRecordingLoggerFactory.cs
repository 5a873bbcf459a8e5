using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace KvmPortal.Hypervisor.Tests.Support;

/// <summary>Records every log line with the scope values open when it was written (scopes flow like AsyncLocal).</summary>
public sealed class ScopeRecordingLoggerFactory : ILoggerFactory, ILogger
{
    private readonly AsyncLocal<IReadOnlyDictionary<string, object?>> _scope = new();

    public ConcurrentQueue<(string Message, IReadOnlyDictionary<string, object?> Scope)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable BeginScope<TState>(TState state) where TState : notnull
    {
        var outer = _scope.Value;
        var merged = new Dictionary<string, object?>(outer ?? new Dictionary<string, object?>());
        if (state is IEnumerable<KeyValuePair<string, object?>> values)
            foreach (var (key, value) in values) merged[key] = value;
        _scope.Value = merged;
        return new Restore(() => _scope.Value = outer!);
    }

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue((formatter(state, exception), _scope.Value ?? new Dictionary<string, object?>()));

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose() { }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
