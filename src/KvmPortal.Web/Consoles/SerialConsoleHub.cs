using KvmPortal.Hypervisor.Consoles;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Web.Consoles;

/// <summary>
/// The serial consoles this instance has open, one per VM device, shared by the sessions showing it. Opening,
/// the last viewer leaving and the guest closing the console are serialised per device, so a console is never
/// opened twice (libvirt would refuse the second) nor closed under a new viewer, while a slow or hung host holds up
/// only its own consoles.
/// </summary>
public sealed class SerialConsoleHub(ISerialConsoles consoles)
{
    private readonly Lock _entries = new(); // guards the two maps; held for map work only, never across a libvirt call
    private readonly Dictionary<(VmKey Vm, string Alias), SharedSerialConsole> _open = [];
    private readonly Dictionary<(VmKey Vm, string Alias), SemaphoreSlim> _gates = [];

    /// <summary>Attaches to <paramref name="alias"/> (null: the VM's first serial device), opening it if needed.</summary>
    public async Task<SerialConsoleViewer> AttachAsync(VmKey vm, string? alias, CancellationToken cancellationToken)
    {
        alias ??= (await consoles.ListDevicesAsync(vm, cancellationToken)).FirstOrDefault()?.Alias;
        var key = (vm, alias ?? "");
        var gate = GateOf(key);
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (alias is null || Find(key) is not { } shared)
            {
                // With no alias, this throws the right "no serial console" error.
                var console = await consoles.OpenAsync(vm, alias, takeOver: false, cancellationToken);
                shared = new SharedSerialConsole(console, this, (vm, console.Device.Alias));
                lock (_entries) _open[shared.Key] = shared;
                shared.Start();
            }
            return shared.Attach();
        }
        finally
        {
            gate.Release();
        }
    }

    internal async Task DetachAsync(SharedSerialConsole shared, SerialConsoleViewer viewer)
    {
        var gate = GateOf(shared.Key);
        await gate.WaitAsync();
        try
        {
            if (!shared.Remove(viewer)) return;
            RemoveEntry(shared);
            await shared.CloseAsync();
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The guest closed the console: the next viewer opens it anew.</summary>
    internal async Task ForgetAsync(SharedSerialConsole shared)
    {
        var gate = GateOf(shared.Key);
        await gate.WaitAsync();
        try
        {
            RemoveEntry(shared);
        }
        finally
        {
            gate.Release();
        }
    }

    private SemaphoreSlim GateOf((VmKey Vm, string Alias) key)
    {
        lock (_entries)
        {
            // Kept for the hub's lifetime: one small semaphore per device ever opened here.
            if (!_gates.TryGetValue(key, out var gate)) _gates[key] = gate = new SemaphoreSlim(1, 1);
            return gate;
        }
    }

    private SharedSerialConsole? Find((VmKey Vm, string Alias) key)
    {
        lock (_entries) return _open.GetValueOrDefault(key);
    }

    private void RemoveEntry(SharedSerialConsole shared)
    {
        lock (_entries)
        {
            if (_open.GetValueOrDefault(shared.Key) == shared) _open.Remove(shared.Key);
        }
    }
}
