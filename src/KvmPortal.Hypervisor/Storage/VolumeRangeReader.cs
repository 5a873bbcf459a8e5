namespace KvmPortal.Hypervisor.Storage;

/// <summary>
/// Reads a volume through libvirt one range at a time (one virStorageVolDownload per range). libvirt's client queues
/// whatever the daemon streams, with no flow control, so a single whole-volume download buffers as much of the volume
/// as the reader is behind; ranges bound that to one range. Blocking calls: used by one receiving thread, except
/// <see cref="Abort"/>.
/// </summary>
internal sealed class VolumeRangeReader(Func<ulong, ulong, Libvirt.Stream> openRange, ulong length, ulong rangeBytes) : IDisposable
{
    private readonly Lock _lock = new();
    private Libvirt.Stream? _current;
    private ulong _offset;
    private ulong _rangeEnd;
    private bool _done = length == 0;
    private bool _aborted;

    /// <summary>Receives up to <paramref name="size"/> bytes (less only at the end); 0 once the whole volume was read.</summary>
    public int Fill(byte[] buffer, int size)
    {
        var filled = 0;
        while (filled < size && !_done)
        {
            var stream = _current ?? Open();
            var n = stream.Receive(buffer.AsSpan(filled, size - filled));
            if (n == 0)
            {
                Close(stream);
                // A range that ended early means the volume is shorter than it said: what there is has been read.
                _done = _offset >= length || _offset < _rangeEnd;
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
            _current?.Abort();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _current?.Dispose();
            _current = null;
        }
    }

    private Libvirt.Stream Open()
    {
        var count = Math.Min(rangeBytes, length - _offset);
        var stream = openRange(_offset, count);
        lock (_lock)
        {
            if (_aborted)
            {
                stream.Abort();
                stream.Dispose();
                throw new OperationCanceledException("The download was aborted.");
            }
            _current = stream;
        }
        _rangeEnd = _offset + count;
        return stream;
    }

    private void Close(Libvirt.Stream stream)
    {
        stream.Finish();
        lock (_lock)
        {
            stream.Dispose();
            _current = null;
        }
    }
}
