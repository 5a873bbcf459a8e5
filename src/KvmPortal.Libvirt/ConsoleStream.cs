using KvmPortal.Libvirt.Interop;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace KvmPortal.Libvirt;

/// <summary>
/// A domain's text console (virDomainOpenConsole) on a non-blocking libvirt stream, driven by libvirt's event
/// loop: the loop's thread says when guest output is there and reads it at once into a queue that
/// <see cref="ReadAsync"/> empties. Reads end (0) when the guest closes the console, e.g. on shutdown.
/// </summary>
/// <remarks>
/// Why not a blocking stream read by a dedicated thread: the remote driver (also behind qemu:///system) keeps
/// the connection's lock while a blocking virStreamRecv waits for data, so an idle console would stall every
/// other call on the host's shared connection, and an abort could not get in. Non-blocking calls return at once.
/// Thread-safe: one reader and one writer may run at the same time.
/// </remarks>
public sealed class ConsoleStream : IDisposable
{
    private const int ChunkSize = 16 * 1024;

    /// <summary>Guest output queued for a slow reader before the stream stops reading (libvirt then holds it).</summary>
    private const long MaxQueuedBytes = 1024 * 1024;

    private readonly StreamHandle _handle;
    private readonly Channel<byte[]> _received = Channel.CreateUnbounded<byte[]>(new() { SingleReader = true, SingleWriter = true });
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly Lock _gate = new();
    private ReadOnlyMemory<byte> _unread;
    private long _queued;
    private bool _readPaused, _ended, _disposed;
    private TaskCompletionSource? _writable;

    private ConsoleStream(StreamHandle handle) => _handle = handle;

    internal static unsafe ConsoleStream Open(Connection connection, DomainHandle domain, string? device, DomainConsoleFlags flags)
    {
        var handle = Stream.NewHandle(connection, StreamFlags.NonBlock);
        if (NativeMethods.virDomainOpenConsole(domain, device, handle, (uint)flags) < 0)
        {
            var error = LibvirtException.FromLastError();
            handle.Dispose();
            throw error;
        }
        var console = new ConsoleStream(handle);
        var state = GCHandle.Alloc(console);
        var onEvent = (nint)(delegate* unmanaged[Cdecl]<nint, int, nint, void>)&OnEvent;
        var freeState = (nint)(delegate* unmanaged[Cdecl]<nint, void>)&FreeState;
        if (NativeMethods.virStreamEventAddCallback(handle, (int)ReadEvents, onEvent, GCHandle.ToIntPtr(state), freeState) < 0)
        {
            var error = LibvirtException.FromLastError();
            state.Free();
            _ = NativeMethods.virStreamAbort(handle);
            handle.Dispose();
            throw error;
        }
        return console;
    }

    private const StreamEvents ReadEvents = StreamEvents.Readable | StreamEvents.Error | StreamEvents.Hangup;

    /// <summary>Reads guest output; 0 once the console has closed. Throws <see cref="LibvirtException"/> if the stream failed.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_unread.IsEmpty)
        {
            if (!await _received.Reader.WaitToReadAsync(cancellationToken) || !_received.Reader.TryRead(out var chunk))
            {
                return 0;
            }
            _unread = chunk;
            Dequeued(chunk.Length);
        }
        var count = Math.Min(buffer.Length, _unread.Length);
        _unread[..count].CopyTo(buffer);
        _unread = _unread[count..];
        return count;
    }

    /// <summary>Sends all of <paramref name="data"/> to the guest.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            while (!data.IsEmpty)
            {
                var sent = TrySend(data.Span, out var writable);
                data = data[sent..];
                if (writable is not null)
                {
                    await writable.WaitAsync(cancellationToken);
                }
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>One non-blocking send; when libvirt would block, also the task that completes once it can take more.</summary>
    private unsafe int TrySend(ReadOnlySpan<byte> data, out Task? writable)
    {
        writable = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int sent;
            fixed (byte* pointer = data)
            {
                sent = NativeMethods.virStreamSend(_handle, pointer, (nuint)data.Length);
            }
            if (sent == -2)
            {
                _writable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                writable = _writable.Task;
                UpdateEvents();
                return 0;
            }
            return sent < 0 ? throw LibvirtException.FromLastError() : sent;
        }
    }

    private void Dequeued(int count)
    {
        lock (_gate)
        {
            _queued -= count;
            if (_readPaused && !_disposed && _queued <= MaxQueuedBytes / 2)
            {
                _readPaused = false;
                UpdateEvents();
            }
        }
    }

    /// <summary>On libvirt's event loop thread: read what is there, wake a waiting writer.</summary>
    private void OnEvent(StreamEvents events)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            if (events.HasFlag(StreamEvents.Writable) && _writable is { } writable)
            {
                _writable = null;
                writable.TrySetResult();
            }
            if ((events & ReadEvents) != 0 && !_ended && !_readPaused)
            {
                ReadAvailable();
            }
            UpdateEvents();
        }
    }

    private unsafe void ReadAvailable()
    {
        while (_queued < MaxQueuedBytes)
        {
            var buffer = new byte[ChunkSize];
            int received;
            fixed (byte* pointer = buffer)
            {
                received = NativeMethods.virStreamRecv(_handle, pointer, ChunkSize);
            }
            if (received == -2)
            {
                return; // nothing more for now
            }
            if (received <= 0)
            {
                _ended = true;
                _received.Writer.TryComplete(received == 0 ? null : LibvirtException.FromLastError());
                return;
            }
            _queued += received;
            _received.Writer.TryWrite(received == ChunkSize ? buffer : buffer[..received]);
        }
        _readPaused = true;
    }

    /// <summary>Asks for the events there is someone to serve; none once ended, so the loop does not spin on a hangup.</summary>
    private void UpdateEvents()
    {
        var events = StreamEvents.None;
        if (!_ended && !_readPaused) events |= ReadEvents;
        if (_writable is not null) events |= StreamEvents.Writable;
        _ = NativeMethods.virStreamEventUpdateCallback(_handle, (int)events); // fails only once the stream is gone
    }

    /// <summary>Closes the console: the guest side stays as it is, another client may open it next.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _writable?.TrySetException(new ObjectDisposedException(nameof(ConsoleStream)));
            _writable = null;
        }
        // Outside the lock: a callback already dispatched waits for it, then sees _disposed. libvirt defers
        // freeing our state until such a callback has returned.
        _ = NativeMethods.virStreamEventRemoveCallback(_handle);
        _ = NativeMethods.virStreamAbort(_handle);
        _received.Writer.TryComplete();
        _handle.Dispose();
        _writeGate.Dispose();
    }

    // virStreamEventCallback
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnEvent(nint stream, int events, nint opaque)
    {
        try
        {
            ((ConsoleStream)GCHandle.FromIntPtr(opaque).Target!).OnEvent((StreamEvents)events);
        }
        catch (Exception)
        {
            // Must not unwind into libvirt; a failed read already completed the queue with its error.
        }
    }

    // virFreeCallback
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void FreeState(nint opaque)
    {
        try
        {
            GCHandle.FromIntPtr(opaque).Free();
        }
        catch (Exception)
        {
            // Must not unwind into libvirt.
        }
    }
}
