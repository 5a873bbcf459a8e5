namespace KvmPortal.Hypervisor.Storage;

/// <summary>
/// Reads a volume through libvirt one range at a time (one virStorageVolDownload per range). libvirt's client queues
/// whatever the daemon streams, with no flow control, so a single whole-volume download buffers as much of the volume
/// as the reader is behind; ranges bound that. The range after the one being read is always already open, so the
/// daemon never waits for the next request between ranges: at most two ranges are queued. Blocking calls: used by one
/// receiving thread, except <see cref="Abort"/>.
/// </summary>
internal sealed class VolumeRangeReader(Func<ulong, ulong, Libvirt.Stream> openRange, ulong length, ulong rangeBytes) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Queue<(Libvirt.Stream Stream, ulong End)> _open = new(); // the range being read first
    private ulong _offset;
    private ulong _opened;
    private bool _done = length == 0;
    private bool _aborted;

    /// <summary>Receives up to <paramref name="size"/> bytes (less only at the end); 0 once the whole volume was read.</summary>
    public int Fill(byte[] buffer, int size)
    {
        var filled = 0;
        while (filled < size && !_done)
        {
            while (_open.Count < 2 && _opened < length) Open();
            var (stream, end) = _open.Peek();
            var n = stream.Receive(buffer.AsSpan(filled, size - filled));
            if (n == 0)
            {
                Close();
                // A range that ended early means the volume is shorter than it said: what there is has been read.
                _done = _offset >= length || _offset < end;
                continue;
            }
            filled += n;
            _offset += (ulong)n;
        }
        return filled;
    }

    /// <summary>Ends a receive blocked in another thread; the reader fails from then on.</summary>
    public void Abort()
    {
        lock (_lock)
        {
            _aborted = true;
            foreach (var (stream, _) in _open) stream.Abort();
        }
    }

    /// <summary>Releases the open ranges; one not read to its end is aborted.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            while (_open.TryDequeue(out var range)) range.Stream.Dispose();
        }
    }

    private void Open()
    {
        var count = Math.Min(rangeBytes, length - _opened);
        var stream = openRange(_opened, count);
        lock (_lock)
        {
            if (_aborted)
            {
                stream.Dispose(); // aborts
                throw new OperationCanceledException("The download was aborted.");
            }
            _opened += count;
            _open.Enqueue((stream, _opened));
        }
    }

    private void Close()
    {
        var stream = _open.Peek().Stream;
        stream.Finish();
        lock (_lock)
        {
            _open.Dequeue();
            stream.Dispose();
        }
    }
}
