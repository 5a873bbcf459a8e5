using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Consoles;

/// <summary>
/// An open serial console of a VM as a byte stream: reads give the guest's output and end (0) when the guest
/// closes it; writes go to the guest's input. Libvirt failures while open surface as <see cref="IOException"/>,
/// like any broken stream; that is also how a console another client took over ends.
/// </summary>
public sealed class SerialConsole : System.IO.Stream
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

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
        // Every write is handed to libvirt at once.
    }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _console.Dispose();
        base.Dispose(disposing);
    }
}
