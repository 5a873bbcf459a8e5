using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace KvmPortal.Bench;

/// <summary>
/// A VNC server in the benchmark's process, standing in for a VM's, so every proxy is measured rather than QEMU's
/// encoder. It speaks RFB 3.8's opening (security None, a 32 bpp ServerInit) and then, per client message:
/// a FramebufferUpdateRequest is answered with one raw rectangle of <see cref="Pattern"/> bytes (a source),
/// ClientCutText longer than <see cref="EchoLimit"/> is counted and dropped (a sink), shorter text comes back as
/// ServerCutText (an echo, for round trips). With <c>closeAfter</c> it instead sends one update of that many
/// pixel bytes right after ServerInit and closes at once: the stream whose end must not be cut short.
/// </summary>
internal sealed class SyntheticVncServer : IAsyncDisposable
{
    public const int Width = 4096;
    public const int EchoLimit = 4096;
    private const int ChunkSize = 64 * 1024;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int? _closeAfter;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private long _sunk;

    public SyntheticVncServer(int? closeAfter = null)
    {
        _closeAfter = closeAfter;
        _listener.Start(512);
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Client bytes the sink has counted so far.</summary>
    public long SunkBytes => Interlocked.Read(ref _sunk);

    /// <summary>The byte at offset i of any pixel data is Pattern[i % 251]; a slice of this array starting at i % 251 holds a chunk.</summary>
    public static readonly byte[] Pattern = Enumerable.Range(0, ChunkSize + 251).Select(i => (byte)(i % 251)).ToArray();

    public static ReadOnlySpan<byte> PatternAt(long offset, int length) => Pattern.AsSpan((int)(offset % 251), length);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            socket.NoDelay = true;
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            await stream.WriteAsync("RFB 003.008\n"u8.ToArray(), _stop.Token);
            await stream.ReadExactlyAsync(new byte[12], _stop.Token);
            await stream.WriteAsync(new byte[] { 1, 1 }, _stop.Token); // one security type: None
            await stream.ReadExactlyAsync(new byte[1], _stop.Token);
            await stream.WriteAsync(new byte[4], _stop.Token);         // SecurityResult: OK
            await stream.ReadExactlyAsync(new byte[1], _stop.Token);   // ClientInit
            await stream.WriteAsync(ServerInit(), _stop.Token);
            if (_closeAfter is { } length)
            {
                await SendUpdateAsync(stream, 256, (ushort)(length / 1024));
                return; // closes at once: everything sent must still reach the client
            }
            await ServeMessagesAsync(stream);
        }
        catch (Exception e) when (e is IOException or SocketException or EndOfStreamException or OperationCanceledException or ObjectDisposedException)
        {
            // The client left; nothing to report.
        }
    }

    private async Task ServeMessagesAsync(NetworkStream stream)
    {
        var header = new byte[20];
        var sink = new byte[ChunkSize];
        while (true)
        {
            if (await stream.ReadAsync(header.AsMemory(0, 1), _stop.Token) == 0) return;
            switch (header[0])
            {
                case 0: // SetPixelFormat
                    await stream.ReadExactlyAsync(header.AsMemory(1, 19), _stop.Token);
                    break;
                case 2: // SetEncodings
                    await stream.ReadExactlyAsync(header.AsMemory(1, 3), _stop.Token);
                    await SkipAsync(stream, 4L * BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2)), sink, count: false);
                    break;
                case 3: // FramebufferUpdateRequest
                    await stream.ReadExactlyAsync(header.AsMemory(1, 9), _stop.Token);
                    await SendUpdateAsync(stream, BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(6)), BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(8)));
                    break;
                case 4: // KeyEvent
                    await stream.ReadExactlyAsync(header.AsMemory(1, 7), _stop.Token);
                    break;
                case 5: // PointerEvent
                    await stream.ReadExactlyAsync(header.AsMemory(1, 5), _stop.Token);
                    break;
                case 6: // ClientCutText
                    await stream.ReadExactlyAsync(header.AsMemory(1, 7), _stop.Token);
                    var length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
                    if (length > EchoLimit)
                    {
                        await SkipAsync(stream, length, sink, count: true);
                        break;
                    }
                    var echo = new byte[8 + length];
                    echo[0] = 3; // ServerCutText
                    BinaryPrimitives.WriteInt32BigEndian(echo.AsSpan(4), length);
                    await stream.ReadExactlyAsync(echo.AsMemory(8), _stop.Token);
                    await stream.WriteAsync(echo, _stop.Token);
                    break;
                default:
                    throw new IOException($"unexpected RFB client message {header[0]}");
            }
        }
    }

    private async Task SkipAsync(NetworkStream stream, long length, byte[] sink, bool count)
    {
        while (length > 0)
        {
            var n = await stream.ReadAsync(sink.AsMemory(0, (int)Math.Min(length, sink.Length)), _stop.Token);
            if (n == 0) throw new EndOfStreamException();
            length -= n;
            if (count) Interlocked.Add(ref _sunk, n);
        }
    }

    /// <summary>One FramebufferUpdate with one raw rectangle of w x h 32-bit pixels, the pixels taken from <see cref="Pattern"/>.</summary>
    private async Task SendUpdateAsync(NetworkStream stream, ushort width, ushort height)
    {
        var header = new byte[16];
        header[3] = 1; // one rectangle
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(8), width);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), height);
        await stream.WriteAsync(header, _stop.Token); // encoding 0: raw
        var total = 4L * width * height;
        for (long sent = 0; sent < total;)
        {
            var n = (int)Math.Min(ChunkSize, total - sent);
            await stream.WriteAsync(Pattern.AsMemory((int)(sent % 251), n), _stop.Token);
            sent += n;
        }
    }

    private static byte[] ServerInit()
    {
        var name = "bench"u8;
        var init = new byte[24 + name.Length];
        BinaryPrimitives.WriteUInt16BigEndian(init, Width);
        BinaryPrimitives.WriteUInt16BigEndian(init.AsSpan(2), 2048);
        init[4] = 32; init[5] = 24; init[6] = 0; init[7] = 1;         // bpp, depth, little-endian, true colour
        BinaryPrimitives.WriteUInt16BigEndian(init.AsSpan(8), 255);
        BinaryPrimitives.WriteUInt16BigEndian(init.AsSpan(10), 255);
        BinaryPrimitives.WriteUInt16BigEndian(init.AsSpan(12), 255);
        init[14] = 16; init[15] = 8; init[16] = 0;                      // shifts; 3 bytes padding follow
        BinaryPrimitives.WriteUInt32BigEndian(init.AsSpan(20), (uint)name.Length);
        name.CopyTo(init.AsSpan(24));
        return init;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
