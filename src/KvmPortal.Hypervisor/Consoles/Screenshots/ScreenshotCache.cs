using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Hypervisor.Consoles.Screenshots;

/// <summary>
/// The latest screenshot of each VM for a short while, so that many viewers cost libvirt one capture per VM per
/// <paramref name="freshFor"/>; viewers asking while a capture runs wait for that one. Entries nobody asked for in
/// a while are dropped. Thread-safe.
/// </summary>
internal sealed class ScreenshotCache(TimeProvider clock, TimeSpan freshFor)
{
    private readonly Lock gate = new();
    private readonly Dictionary<VmKey, Entry> entries = [];

    private sealed record Entry(Task<VmScreenshot> Capture, DateTimeOffset StartedAt);

    public Task<VmScreenshot> GetAsync(VmKey vm, Func<Task<VmScreenshot>> capture, CancellationToken cancellationToken)
    {
        Task<VmScreenshot> shared;
        lock (gate)
        {
            var now = clock.GetUtcNow();
            DropStale(now);
            if (entries.TryGetValue(vm, out var entry) && IsUsable(entry, now))
            {
                shared = entry.Capture;
            }
            else
            {
                // Not the caller's token: the capture serves everyone waiting for it, whoever leaves first.
                shared = Task.Run(capture, CancellationToken.None);
                entries[vm] = new Entry(shared, now);
            }
        }
        return shared.WaitAsync(cancellationToken);
    }

    /// <summary>Running, or done in time and successful: a failure is not served again to the next viewer.</summary>
    private bool IsUsable(Entry entry, DateTimeOffset now) =>
        !entry.Capture.IsCompleted || (entry.Capture.IsCompletedSuccessfully && now - entry.StartedAt < freshFor);

    private void DropStale(DateTimeOffset now)
    {
        foreach (var (vm, entry) in entries)
            if (entry.Capture.IsCompleted && now - entry.StartedAt >= freshFor * 10)
                entries.Remove(vm);
    }

    internal int Count
    {
        get { lock (gate) return entries.Count; }
    }
}
