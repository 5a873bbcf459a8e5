namespace KvmPortal.Web.Tests.Fakes;

/// <summary>The system clock, but timers fire only when the test calls <see cref="FireTimers"/>.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly List<ManualTimer> timers = [];

    public int ActiveTimers { get { lock (timers) return timers.Count(t => !t.Disposed); } }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(callback, state);
        lock (timers) timers.Add(timer);
        return timer;
    }

    public void FireTimers()
    {
        List<ManualTimer> live;
        lock (timers) live = timers.Where(t => !t.Disposed).ToList();
        foreach (var timer in live)
            timer.Fire();
    }

    private sealed class ManualTimer(TimerCallback callback, object? state) : ITimer
    {
        public bool Disposed { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period) => !Disposed;

        public void Dispose() => Disposed = true;

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
