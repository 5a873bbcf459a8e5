using System.Threading.Channels;
using KvmPortal.Hypervisor.Consoles;

namespace KvmPortal.Web.Consoles;

/// <summary>
/// One console session's share of a VM's serial console: the guest's output from the moment it attached, and
/// a way to type. Disposing it detaches; the last one to go closes the libvirt console.
/// </summary>
public sealed class SerialConsoleViewer : IAsyncDisposable
{
    /// <summary>Output chunks a browser may fall behind by before it is cut off rather than slowing the others.</summary>
    private const int MaxQueuedChunks = 1024;

    private readonly SharedSerialConsole _shared;
    private readonly Channel<byte[]> _output = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(MaxQueuedChunks) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    internal SerialConsoleViewer(SharedSerialConsole shared) => _shared = shared;

    public SerialDevice Device => _shared.Device;

    /// <summary>Why the output ended (the guest closed the console, it failed, this viewer fell behind); null while open.</summary>
    public string? EndReason { get; private set; }

    /// <summary>The guest's output, until the console ends.</summary>
    public IAsyncEnumerable<byte[]> ReadAllAsync(CancellationToken cancellationToken) => _output.Reader.ReadAllAsync(cancellationToken);

    public ValueTask WriteAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken) => _shared.WriteAsync(input, cancellationToken);

    internal void Deliver(byte[] chunk)
    {
        if (!_output.Writer.TryWrite(chunk)) End("the browser did not keep up with the console's output");
    }

    internal void End(string reason)
    {
        EndReason ??= reason;
        _output.Writer.TryComplete();
    }

    public ValueTask DisposeAsync() => new(_shared.DetachAsync(this));
}
