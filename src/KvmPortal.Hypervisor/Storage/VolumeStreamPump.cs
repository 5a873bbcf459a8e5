using System.Buffers;
using System.Threading.Channels;
using KvmPortal.Hypervisor.Vms.Create;
using Stream = System.IO.Stream;

namespace KvmPortal.Hypervisor.Storage;

/// <summary>
/// Moves a volume's bytes between the caller's stream (an HTTP body, a file: asynchronous) and libvirt (blocking
/// calls). One dedicated thread makes all of a transfer's blocking libvirt calls while the caller's side reads or
/// writes asynchronously; the two hand each other a few small pooled buffers, each hand-off waking the other side
/// directly rather than through a thread-pool task, so file or network I/O overlaps with libvirt and memory stays at
/// those buffers whatever the volume's size.
/// </summary>
internal static class VolumeStreamPump
{
    /// <summary>
    /// The size of the buffers handed over: 8 stream packets (about 2 MiB). Small enough that a buffer is still in the
    /// CPU's cache when the other side reads it: `bench/run.sh volumes` measured 8 and 16 MiB buffers at 0.60 and 0.40 of
    /// virsh's download speed on a busy machine; on a quiet one 2 MiB did a little better than 1 MiB (upload 0.83-0.88
    /// against 0.73, download 0.75-0.78 against 0.70), and one packet per buffer uploaded at 0.73 on a busy one.
    /// </summary>
    internal const int BufferBytes = 8 * Libvirt.Stream.PacketPayloadBytes;

    /// <summary>Enough buffers in flight that neither side waits for the other's wake-up.</summary>
    private const int BufferCount = 6;

    /// <summary>Sends <paramref name="length"/> bytes of <paramref name="source"/> over an upload stream (not finished here).</summary>
    public static async Task UploadAsync(Stream source, ulong length, Libvirt.Stream stream, IProgress<TransferProgress>? progress,
        CancellationToken cancellationToken)
    {
        using var handoff = new Handoff();
        var sender = handoff.StartThread(handoff.Empty.Writer, () =>
        {
            while (handoff.TakeFull(out var chunk))
            {
                stream.SendAll(chunk.Buffer.AsSpan(0, chunk.Count));
                handoff.Empty.Writer.TryWrite(chunk.Buffer);
            }
        });
        try
        {
            ulong done = 0;
            while (done < length)
            {
                var buffer = await handoff.TakeEmptyAsync(sender, cancellationToken);
                var want = (int)Math.Min(BufferBytes, length - done);
                var filled = 0;
                while (filled < want)
                {
                    var read = await source.ReadAsync(buffer.AsMemory(filled, want - filled), cancellationToken);
                    if (read == 0)
                    {
                        var received = done + (ulong)filled;
                        throw HypervisorException.Because(HypervisorErrorKind.UploadEnded, $"The upload ended after {received} of {length} bytes.",
                            SpecProblem.Size(received), SpecProblem.Size(length));
                    }
                    filled += read;
                }
                cancellationToken.ThrowIfCancellationRequested();
                handoff.Full.Writer.TryWrite((buffer, filled));
                done += (ulong)filled;
                progress?.Report(new TransferProgress(done, length));
            }
            handoff.Full.Writer.TryComplete();
            await sender;
        }
        finally
        {
            handoff.Stop();
            await Handoff.Quietly(sender); // the buffers go back to the pool only after the thread's last send
        }
    }

    /// <summary>Writes everything <paramref name="reader"/> receives to <paramref name="destination"/>.</summary>
    public static async Task DownloadAsync(VolumeRangeReader reader, ulong length, Stream destination, IProgress<TransferProgress>? progress,
        CancellationToken cancellationToken)
    {
        using var handoff = new Handoff();
        var receiver = handoff.StartThread(handoff.Full.Writer, () =>
        {
            while (handoff.TakeEmpty(out var buffer))
            {
                var received = reader.Fill(buffer, BufferBytes);
                if (received == 0) return;
                handoff.Full.Writer.TryWrite((buffer, received));
            }
        });
        var completed = false;
        try
        {
            ulong done = 0;
            await foreach (var (buffer, count) in handoff.Full.Reader.ReadAllAsync(CancellationToken.None))
            {
                cancellationToken.ThrowIfCancellationRequested();
                await destination.WriteAsync(buffer.AsMemory(0, count), cancellationToken);
                handoff.Empty.Writer.TryWrite(buffer);
                done += (ulong)count;
                progress?.Report(new TransferProgress(done, length));
            }
            await receiver; // its failure, if it ended early
            completed = true;
        }
        finally
        {
            if (!completed)
            {
                handoff.Stop();
                await Task.Run(reader.Abort, CancellationToken.None); // ends a blocked receive
                await Handoff.Quietly(receiver);
            }
        }
    }

    /// <summary>
    /// The buffers of one transfer and the two queues they travel in: empty ones to whoever fills them, full ones to
    /// whoever drains them. Each queue is read blocking by the libvirt thread and asynchronously by the caller's side.
    /// </summary>
    private sealed class Handoff : IDisposable
    {
        private readonly byte[][] _buffers = new byte[BufferCount][];
        private volatile bool _stopped;

        public Handoff()
        {
            for (var i = 0; i < BufferCount; i++)
            {
                _buffers[i] = ArrayPool<byte>.Shared.Rent(BufferBytes);
                Empty.Writer.TryWrite(_buffers[i]);
            }
        }

        public Channel<byte[]> Empty { get; } = Channel.CreateUnbounded<byte[]>(Options);

        public Channel<(byte[] Buffer, int Count)> Full { get; } = Channel.CreateUnbounded<(byte[], int)>(Options);

        /// <summary>
        /// A hand-off wakes the other side directly, on the handing thread (until the other side's next await), rather
        /// than through a thread-pool work item: on a busy machine every extra wake-up delays the transfer.
        /// </summary>
        private static UnboundedChannelOptions Options => new() { SingleReader = true, SingleWriter = true, AllowSynchronousContinuations = true };

        /// <summary>Runs <paramref name="work"/> on a thread of its own; when it ends, <paramref name="output"/> completes.</summary>
        public Task StartThread<T>(ChannelWriter<T> output, Action work) => Task.Factory.StartNew(() =>
        {
            try
            {
                work();
            }
            finally
            {
                output.TryComplete();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        public bool TakeFull(out (byte[] Buffer, int Count) chunk) => Take(Full.Reader, out chunk);

        public bool TakeEmpty(out byte[] buffer) => Take(Empty.Reader, out buffer);

        /// <summary>The next empty buffer; when the thread has ended instead, its failure.</summary>
        public async ValueTask<byte[]> TakeEmptyAsync(Task thread, CancellationToken cancellationToken)
        {
            if (await Empty.Reader.WaitToReadAsync(cancellationToken) && Empty.Reader.TryRead(out var buffer)) return buffer;
            await thread;
            throw new InvalidOperationException("The transfer's libvirt thread ended early.");
        }

        /// <summary>Makes the thread stop at its next hand-off instead of draining what is queued.</summary>
        public void Stop()
        {
            _stopped = true;
            Empty.Writer.TryComplete();
            Full.Writer.TryComplete();
        }

        public static async Task Quietly(Task task)
        {
            try
            {
                await task;
            }
            catch
            {
                // the first failure is the one reported
            }
        }

        public void Dispose()
        {
            foreach (var buffer in _buffers) ArrayPool<byte>.Shared.Return(buffer);
        }

        private bool Take<T>(ChannelReader<T> reader, out T item)
        {
            while (!_stopped)
            {
                if (reader.TryRead(out var next))
                {
                    item = next;
                    return true;
                }
                if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult()) break;
            }
            item = default!;
            return false;
        }
    }
}
