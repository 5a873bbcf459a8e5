using KvmPortal.Hypervisor.Consoles;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Web.Consoles;

/// <summary>
/// The serial consoles this instance has open, one per VM device, shared by the sessions showing it. Opening,
/// the last viewer leaving and the guest closing the console are serialised, so a console is never opened
/// twice (libvirt would refuse the second) nor closed under a new viewer.
/// </summary>
public sealed class SerialConsoleHub(ISerialConsoles consoles)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<(VmKey Vm, string Alias), SharedSerialConsole> _open = [];

    /// <summary>Attaches to <paramref name="alias"/> (null: the VM's first serial device), opening it if needed.</summary>
    public async Task<SerialConsoleViewer> AttachAsync(VmKey vm, string? alias, CancellationToken cancellationToken)
    {
        alias ??= (await consoles.ListDevicesAsync(vm, cancellationToken)).FirstOrDefault()?.Alias;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (alias is null || !_open.TryGetValue((vm, alias), out var shared))
            {
                // With no alias, this throws the right "no serial console" error.
                var console = await consoles.OpenAsync(vm, alias, takeOver: false, cancellationToken);
                shared = new SharedSerialConsole(console, this);
                _open[(vm, console.Device.Alias)] = shared;
                shared.Start();
            }
            return shared.Attach();
        }
        finally
        {
            _gate.Release();
        }
    }

    internal async Task DetachAsync(SharedSerialConsole shared, SerialConsoleViewer viewer)
    {
        await _gate.WaitAsync();
        try
        {
            if (!shared.Remove(viewer)) return;
            RemoveEntry(shared);
            await shared.CloseAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The guest closed the console: the next viewer opens it anew.</summary>
    internal async Task ForgetAsync(SharedSerialConsole shared)
    {
        await _gate.WaitAsync();
        try
        {
            RemoveEntry(shared);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void RemoveEntry(SharedSerialConsole shared)
    {
        foreach (var entry in _open.Where(e => e.Value == shared).ToList()) _open.Remove(entry.Key);
    }
}
