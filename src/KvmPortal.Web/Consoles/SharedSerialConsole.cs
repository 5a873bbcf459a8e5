using KvmPortal.Hypervisor.Consoles;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Web.Consoles;

/// <summary>
/// One open libvirt console of a VM, shared by every session of this instance that shows it: libvirt lets only
/// one client hold a console, yet several people (e.g. a view-only observer) may watch it. A pump copies the
/// guest's output to each viewer; whoever may type writes straight to the guest.
/// </summary>
internal sealed class SharedSerialConsole(SerialConsole console, SerialConsoleHub hub, (VmKey Vm, string Alias) key)
{
    private readonly List<SerialConsoleViewer> _viewers = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _pump = Task.CompletedTask;
    private string? _endReason;

    /// <summary>The VM and device alias the hub keeps it under.</summary>
    public (VmKey Vm, string Alias) Key { get; } = key;

    public SerialDevice Device => console.Device;

    public void Start() => _pump = PumpAsync();

    public SerialConsoleViewer Attach()
    {
        var viewer = new SerialConsoleViewer(this);
        lock (_viewers)
        {
            _viewers.Add(viewer);
            if (_endReason is not null) viewer.End(_endReason); // ended just before the hub forgot it
        }
        return viewer;
    }

    /// <summary>True when <paramref name="viewer"/> was the last one.</summary>
    public bool Remove(SerialConsoleViewer viewer)
    {
        lock (_viewers)
        {
            _viewers.Remove(viewer);
            return _viewers.Count == 0;
        }
    }

    public Task DetachAsync(SerialConsoleViewer viewer) => hub.DetachAsync(this, viewer);

    public ValueTask WriteAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken) => console.WriteAsync(input, cancellationToken);

    /// <summary>Stops the pump and closes the libvirt console; the viewers' output ends.</summary>
    public async Task CloseAsync()
    {
        await _stop.CancelAsync();
        await _pump;
        await console.DisposeAsync();
        _stop.Dispose();
    }

    private async Task PumpAsync()
    {
        await Task.Yield();
        var buffer = new byte[16 * 1024];
        string reason;
        try
        {
            while (true)
            {
                var read = await console.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    reason = "closed by the guest";
                    break;
                }
                var chunk = buffer[..read];
                foreach (var viewer in Viewers()) viewer.Deliver(chunk);
            }
        }
        catch (IOException e)
        {
            reason = e.Message;
        }
        catch (OperationCanceledException)
        {
            reason = "closed";
        }
        lock (_viewers)
        {
            _endReason = reason;
            foreach (var viewer in _viewers) viewer.End(reason);
        }
        // Not awaited: the hub may be waiting for this pump (CloseAsync) while holding its lock.
        if (!_stop.IsCancellationRequested) _ = hub.ForgetAsync(this);
    }

    private SerialConsoleViewer[] Viewers()
    {
        lock (_viewers) return [.. _viewers];
    }
}
