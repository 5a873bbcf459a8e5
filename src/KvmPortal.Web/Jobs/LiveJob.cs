namespace KvmPortal.Web.Jobs;

/// <summary>
/// A job running in this instance: its progress as last reported and its cancellation. Progress reports come from any
/// thread; <see cref="Report"/> tells the runner only about visible changes (a whole percent, a new step), so a
/// chatty transfer does not re-render every open list per chunk.
/// </summary>
internal sealed class LiveJob(JobView started, Audit.AuditTarget target, Action<LiveJob> changed, CancellationToken stopWith) : IJobProgress, IDisposable
{
    private readonly CancellationTokenSource _cancel = CancellationTokenSource.CreateLinkedTokenSource(stopWith);
    private readonly object _gate = new();
    private JobView _view = started;
    private JobProgress? _shown;

    public Guid Id { get; } = started.Id;

    /// <summary>What the job works on, for its audit entries.</summary>
    public Audit.AuditTarget Target => target;

    public CancellationToken Token => _cancel.Token;

    public JobView View
    {
        get { lock (_gate) return _view; }
    }

    public void Report(JobProgress progress)
    {
        bool visible;
        lock (_gate)
        {
            _view = _view with { Progress = progress };
            visible = _shown is not { } shown || shown.Step != progress.Step || Math.Floor(shown.Percent ?? -1) != Math.Floor(progress.Percent ?? -1)
                || (progress.Percent is null && progress.DoneBytes - shown.DoneBytes >= 1 << 24);
            if (visible) _shown = progress;
        }
        if (visible) changed(this);
    }

    /// <summary>Asks the work to stop; false when the job cannot be cancelled or has ended.</summary>
    /// <summary>Whether the job may still be asked to stop (cancellable, running and not asked yet).</summary>
    public bool CanCancel
    {
        get { lock (_gate) return _view is { Cancellable: true, IsRunning: true, CancelRequested: false }; }
    }

    public bool RequestCancel()
    {
        lock (_gate)
        {
            if (!_view.Cancellable || !_view.IsRunning || _view.CancelRequested) return false;
            _view = _view with { CancelRequested = true };
        }
        _cancel.Cancel();
        changed(this);
        return true;
    }

    public JobView Finish(JobState state, DateTimeOffset at, string? error, string? resultLink)
    {
        lock (_gate)
        {
            var progress = state == JobState.Succeeded && _view.Progress is { TotalBytes: { } total } p ? p with { DoneBytes = total } : _view.Progress;
            return _view = _view with { State = state, FinishedAt = at, Error = error, ResultLink = resultLink, Progress = progress };
        }
    }

    public void Dispose() => _cancel.Dispose();
}
