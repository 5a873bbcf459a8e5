using KvmPortal.Libvirt.Interop;

namespace KvmPortal.Libvirt;

/// <summary>
/// A blocking libvirt data stream (virStreamPtr), e.g. for a volume upload or download. Send or receive, then
/// <see cref="Finish"/> (success) or <see cref="Abort"/> (failure); disposing an unfinished stream aborts it.
/// Not thread-safe: one thread drives a stream at a time.
/// </summary>
public sealed unsafe class Stream : IDisposable
{
    private readonly StreamHandle _handle;
    private bool _done;

    private Stream(Connection connection, StreamHandle handle)
    {
        Connection = connection;
        _handle = handle;
    }

    public Connection Connection { get; }

    internal StreamHandle Handle => _handle;

    /// <summary>Creates a blocking stream on the connection (virStreamNew with flags 0).</summary>
    public static Stream Create(Connection connection) => new(connection, NewHandle(connection, StreamFlags.None));

    /// <summary>virStreamNew; the handle of a new stream with <paramref name="flags"/>.</summary>
    internal static StreamHandle NewHandle(Connection connection, StreamFlags flags)
    {
        var handle = NativeMethods.virStreamNew(connection.Handle, (uint)flags);
        if (handle.IsInvalid)
        {
            var error = LibvirtException.FromLastError();
            handle.Dispose();
            throw error;
        }
        return handle;
    }

    /// <summary>
    /// The data one stream packet carries at most in older libvirt (VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX), and the chunk
    /// virStreamSendAll and virStreamRecvAll use.
    /// </summary>
    public const int PacketPayloadBytes = 262120;

    /// <summary>
    /// Sends all of <paramref name="data"/> in calls of at most <see cref="PacketPayloadBytes"/>, looping over partial
    /// sends. libvirt turns each call into one message that it allocates and copies whole (up to 32 MiB), so large
    /// calls cost fresh memory per call and make the daemon wait for the whole message before writing any of it.
    /// </summary>
    public void SendAll(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int sent;
            fixed (byte* pointer = data)
            {
                sent = NativeMethods.virStreamSend(_handle, pointer, (nuint)Math.Min(data.Length, PacketPayloadBytes));
            }
            if (sent < 0)
            {
                throw LibvirtException.FromLastError();
            }
            data = data[sent..];
        }
    }

    /// <summary>Receives up to <paramref name="buffer"/>'s length; 0 means the end of the stream.</summary>
    public int Receive(Span<byte> buffer)
    {
        int received;
        fixed (byte* pointer = buffer)
        {
            received = NativeMethods.virStreamRecv(_handle, pointer, (nuint)buffer.Length);
        }
        return received < 0 ? throw LibvirtException.FromLastError() : received;
    }

    /// <summary>Completes the transfer; for an upload, libvirt reports here whether the data arrived.</summary>
    public void Finish()
    {
        _done = true;
        if (NativeMethods.virStreamFinish(_handle) < 0)
        {
            throw LibvirtException.FromLastError();
        }
    }

    /// <summary>Cancels the transfer.</summary>
    public void Abort()
    {
        if (_done)
        {
            return;
        }
        _done = true;
        if (NativeMethods.virStreamAbort(_handle) < 0)
        {
            throw LibvirtException.FromLastError();
        }
    }

    /// <summary>Aborts an unfinished stream, then releases it.</summary>
    public void Dispose()
    {
        if (!_done && !_handle.IsClosed)
        {
            _done = true;
            _ = NativeMethods.virStreamAbort(_handle); // best effort: the transfer is being abandoned
        }
        _handle.Dispose();
    }
}
