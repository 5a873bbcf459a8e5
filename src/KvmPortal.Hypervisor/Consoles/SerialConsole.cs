using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Consoles;

/// <summary>
/// An open serial console of a VM as a byte stream: reads give the guest's output and end (0) when the guest
/// closes it; writes go to the guest's input. Libvirt failures while open surface as <see cref="IOException"/>,
/// like any broken stream; that is also how a console another client took over ends.
/// </summary>
public sealed class SerialConsole : DuplexStream
{
    private readonly ConsoleStream _console;

    internal SerialConsole(ConsoleStream console, SerialDevice device)
    {
        _console = console;
        Device = device;
    }

    public SerialDevice Device { get; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _console.ReadAsync(buffer, cancellationToken);
        }
        catch (LibvirtException e)
        {
            throw new IOException($"The serial console {Device.Alias} failed: {e.Message}", e);
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await _console.WriteAsync(buffer, cancellationToken);
        }
        catch (LibvirtException e)
        {
            throw new IOException($"The serial console {Device.Alias} failed: {e.Message}", e);
        }
    }

    public override void Flush()
    {
        // Every write is handed to libvirt at once.
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _console.Dispose();
        base.Dispose(disposing);
    }
}
