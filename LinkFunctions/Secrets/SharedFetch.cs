namespace LinkFunctions.Secrets;

/// <summary>
/// One fetch at a time, on its own task and under its own timeout. Callers wait with their own token: a request
/// whose budget runs out stops waiting, but the fetch goes on and the next caller gets its result. Otherwise a
/// dependency slower than the budget (a vault answering in 3 s against 1.5 s) would be cancelled and restarted by
/// every request and never finish.
/// </summary>
public sealed class SharedFetch<T>(Func<CancellationToken, Task<T>> fetch, TimeSpan timeout, TimeProvider time)
{
    private readonly Lock sync = new();
    private Task<T>? running;

    public bool IsRunning
    {
        get
        {
            lock (sync)
            {
                return running is not null;
            }
        }
    }

    /// <summary>The fetch under way, or a new one.</summary>
    public Task<T> StartOrJoin()
    {
        lock (sync)
        {
            return running ??= Start();
        }
    }

    /// <summary>A new fetch, or null while one is under way.</summary>
    public Task<T>? TryStart()
    {
        lock (sync)
        {
            return running is null ? running = Start() : null;
        }
    }

    private Task<T> Start()
    {
        var task = Task.Run(RunAsync);

        // A background refresh may have no one waiting: observe its failure here (the fetch logs it itself).
        _ = task.ContinueWith(
            static t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    private async Task<T> RunAsync()
    {
        try
        {
            using var timeoutSource = new CancellationTokenSource(timeout, time);
            try
            {
                return await fetch(timeoutSource.Token);
            }
            catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested)
            {
                // Not a cancellation: callers tell their own budget running out from a dependency failure by that type.
                throw new TimeoutException($"No answer within {timeout.TotalSeconds:F0} s.");
            }
        }
        finally
        {
            // Runs after StartOrJoin has stored this task: that lock is held until then.
            lock (sync)
            {
                running = null;
            }
        }
    }
}
