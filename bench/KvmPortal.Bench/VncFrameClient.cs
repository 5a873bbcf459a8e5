using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace KvmPortal.Bench;

/// <summary>
/// A minimal RFB client over the console WebSocket for a real VNC server (the load soak's QEMU): security None, raw
/// encoding, and a reader that parses every server message, so it can ask for whole frames and wait for them.
/// </summary>
internal sealed class VncFrameClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Stream _stream;
    private readonly Channel<int> _updates = Channel.CreateUnbounded<int>(); // one item per rectangle: its encoding
    private Task _reader = Task.CompletedTask;
    private int _bytesPerPixel;

    private VncFrameClient(ClientWebSocket socket)
    {
        _socket = socket;
        _stream = WebSocketStream.Create(socket, WebSocketMessageType.Binary, ownsWebSocket: true);
    }

    public ushort Width { get; private set; }
    public ushort Height { get; private set; }
    public long RawBytes;

    /// <summary>Connects and completes the RFB handshake; returns the client and how long that took.</summary>
    public static async Task<(VncFrameClient Client, TimeSpan SetUp)> ConnectAsync(Uri url, string? origin, string? cookie)
    {
        var clock = Stopwatch.StartNew();
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("binary");
        if (origin is not null) socket.Options.SetRequestHeader("Origin", origin);
        if (cookie is not null) socket.Options.SetRequestHeader("Cookie", cookie);
        await socket.ConnectAsync(url, CancellationToken.None);
        var client = new VncFrameClient(socket);
        await client.HandshakeAsync();
        var setUp = clock.Elapsed;
        client._reader = client.ReadMessagesAsync();
        await client.WriteAsync([2, 0, 0, 1, 0, 0, 0, 0]); // SetEncodings: Raw
        return (client, setUp);
    }

    private async Task HandshakeAsync()
    {
        var version = new byte[12];
        await _stream.ReadExactlyAsync(version);
        await WriteAsync("RFB 003.008\n"u8.ToArray());
        var count = new byte[1];
        await _stream.ReadExactlyAsync(count);
        var types = new byte[count[0]];
        await _stream.ReadExactlyAsync(types);
        if (!types.Contains((byte)1)) throw new InvalidOperationException("the VNC server wants a password; the benchmark needs one without");
        await WriteAsync([1]);
        await _stream.ReadExactlyAsync(new byte[4]); // SecurityResult
        await WriteAsync([1]);                        // ClientInit: shared
        var init = new byte[24];
        await _stream.ReadExactlyAsync(init);
        Width = BinaryPrimitives.ReadUInt16BigEndian(init);
        Height = BinaryPrimitives.ReadUInt16BigEndian(init.AsSpan(2));
        _bytesPerPixel = init[4] / 8;
        await _stream.ReadExactlyAsync(new byte[BinaryPrimitives.ReadUInt32BigEndian(init.AsSpan(20))]);
    }

    /// <summary>Asks for the whole screen, non-incremental, and waits until its pixels arrived.</summary>
    public async Task FullFrameAsync()
    {
        await RequestAsync(0, 0, Width, Height);
        while (await _updates.Reader.ReadAsync() != 0)
        {
        }
    }

    private Task RequestAsync(ushort x, ushort y, ushort w, ushort h)
    {
        var request = new byte[10];
        request[0] = 3;
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(2), x);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(4), y);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(6), w);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(8), h);
        return WriteAsync(request);
    }

    private async Task WriteAsync(byte[] message) => await _stream.WriteAsync(message);

    private async Task ReadMessagesAsync()
    {
        var header = new byte[16];
        var sink = new byte[64 * 1024];
        try
        {
            while (true)
            {
                await _stream.ReadExactlyAsync(header.AsMemory(0, 1));
                switch (header[0])
                {
                    case 0: // FramebufferUpdate
                        await _stream.ReadExactlyAsync(header.AsMemory(0, 3));
                        var rects = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(1));
                        for (var i = 0; i < rects; i++)
                        {
                            await _stream.ReadExactlyAsync(header.AsMemory(0, 12));
                            var w = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4));
                            var h = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(6));
                            var encoding = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8));
                            long length = encoding switch
                            {
                                0 => (long)w * h * _bytesPerPixel,
                                _ => 0, // pseudo-encodings we did not ask for carry no data
                            };
                            await SkipAsync(length, sink);
                            if (encoding == 0) Interlocked.Add(ref RawBytes, length);
                            _updates.Writer.TryWrite(encoding);
                        }
                        break;
                    case 1: // SetColourMapEntries
                        await _stream.ReadExactlyAsync(header.AsMemory(0, 5));
                        await SkipAsync(BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(3)) * 6L, sink);
                        break;
                    case 2: // Bell
                        break;
                    case 3: // ServerCutText
                        await _stream.ReadExactlyAsync(header.AsMemory(0, 7));
                        await SkipAsync(BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(3)), sink);
                        break;
                    default:
                        throw new InvalidDataException($"unexpected RFB server message {header[0]}");
                }
            }
        }
        catch (Exception e)
        {
            // Surfaces in the waiting measurement; a disposed client's reader ends the same way, unobserved.
            _updates.Writer.TryComplete(new IOException("the RFB stream ended: " + e.Message, e));
        }
    }

    private async Task SkipAsync(long length, byte[] sink)
    {
        while (length > 0)
        {
            var n = (int)Math.Min(length, sink.Length);
            await _stream.ReadExactlyAsync(sink.AsMemory(0, n));
            length -= n;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _stream.DisposeAsync();
        await _reader;
    }
}
