using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace KvmPortal.Bench;

/// <summary>
/// A minimal RFB client, the same over every path: over a WebSocket (binary messages, masked as a browser's) for the
/// WebSocket proxies, over plain TCP for socat and the direct connection. It does the RFB opening itself (security
/// None), so every path carries the same bytes after it, and checks every pixel byte against the synthetic server's
/// pattern.
/// </summary>
internal sealed class RfbBenchClient : IAsyncDisposable
{
    public const int FrameSize = 64 * 1024;
    private static readonly byte[] CutText = MakeCutText(FrameSize);
    private static readonly byte[] EchoText = MakeCutText(8 + 1024);
    private readonly Stream _stream;
    private readonly ClientWebSocket? _socket;
    private readonly byte[] _header = new byte[16];
    private byte[]? _buffer; // only once data flows, so an idle client stays small

    private RfbBenchClient(Stream stream, ClientWebSocket? socket)
    {
        _stream = stream;
        _socket = socket;
    }

    /// <summary>Connects over TCP (socat, or the server directly) and does the RFB opening.</summary>
    public static async Task<RfbBenchClient> ConnectTcpAsync(int port)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync("127.0.0.1", port);
        return await OpenAsync(new NetworkStream(socket, ownsSocket: true), null);
    }

    /// <summary>Connects over a WebSocket (a browser's headers: the binary sub-protocol, its Origin and cookie) and does the RFB opening.</summary>
    public static async Task<RfbBenchClient> ConnectWebSocketAsync(Uri url, string? origin, string? cookie)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("binary");
        if (origin is not null) socket.Options.SetRequestHeader("Origin", origin);
        if (cookie is not null) socket.Options.SetRequestHeader("Cookie", cookie);
        await socket.ConnectAsync(url, CancellationToken.None);
        return await OpenAsync(WebSocketStream.Create(socket, WebSocketMessageType.Binary, ownsWebSocket: true), socket);
    }

    private static async Task<RfbBenchClient> OpenAsync(Stream stream, ClientWebSocket? socket)
    {
        var client = new RfbBenchClient(stream, socket);
        try
        {
            await client.HandshakeAsync();
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    private async Task HandshakeAsync()
    {
        await _stream.ReadExactlyAsync(_header.AsMemory(0, 12));
        await _stream.WriteAsync("RFB 003.008\n"u8.ToArray());
        await _stream.ReadExactlyAsync(_header.AsMemory(0, 1));
        var types = new byte[_header[0]];
        await _stream.ReadExactlyAsync(types);
        if (!types.Contains((byte)1)) throw new InvalidDataException("the VNC server wants a password");
        await _stream.WriteAsync(new byte[] { 1 });
        await _stream.ReadExactlyAsync(_header.AsMemory(0, 4)); // SecurityResult
        await _stream.WriteAsync(new byte[] { 1 });              // ClientInit: shared
        var init = new byte[24];
        await _stream.ReadExactlyAsync(init);
        await _stream.ReadExactlyAsync(new byte[BinaryPrimitives.ReadUInt32BigEndian(init.AsSpan(20))]);
    }

    /// <summary>Asks for a raw update of width x height pixels and reads it; returns the pixel bytes.</summary>
    public async Task<long> FetchAsync(ushort width, ushort height)
    {
        var request = new byte[10];
        request[0] = 3;
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(6), width);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(8), height);
        await _stream.WriteAsync(request);
        var received = await ReceiveUpdateAsync();
        if (received != 4L * width * height) throw new InvalidDataException($"the update ended after {received} of {4L * width * height} bytes");
        return received;
    }

    /// <summary>
    /// Reads one FramebufferUpdate of one raw rectangle, checking every byte; returns how many pixel bytes arrived,
    /// fewer than announced when the stream ended early.
    /// </summary>
    public async Task<long> ReceiveUpdateAsync()
    {
        _buffer ??= new byte[FrameSize];
        await _stream.ReadExactlyAsync(_header.AsMemory(0, 16));
        if (_header[0] != 0 || _header[3] != 1) throw new InvalidDataException($"unexpected RFB server message {_header[0]}");
        var length = 4L * BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(8)) * BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(10));
        long received = 0;
        while (received < length)
        {
            int n;
            try
            {
                n = await _stream.ReadAsync(_buffer.AsMemory(0, (int)Math.Min(_buffer.Length, length - received)));
            }
            catch (Exception e) when (e is IOException or WebSocketException)
            {
                return received; // reset or aborted: what arrived is what counts
            }
            if (n == 0) return received;
            if (!_buffer.AsSpan(0, n).SequenceEqual(SyntheticVncServer.PatternAt(received, n)))
                throw new InvalidDataException($"pixel bytes {received}..{received + n} differ from what the server sent");
            received += n;
        }
        return received;
    }

    /// <summary>Sends <paramref name="frames"/> ClientCutText messages of 64 KiB each (one WebSocket frame each), then waits until the server has read them.</summary>
    public async Task UploadAsync(int frames)
    {
        for (var i = 0; i < frames; i++) await _stream.WriteAsync(CutText);
        await RoundTripAsync(); // the server answers in order, so its echo means it read everything before
    }

    /// <summary>1 KiB of clipboard text to the server and the same back.</summary>
    public async Task<TimeSpan> RoundTripAsync()
    {
        _buffer ??= new byte[FrameSize];
        var clock = Stopwatch.StartNew();
        await _stream.WriteAsync(EchoText);
        await _stream.ReadExactlyAsync(_buffer.AsMemory(0, EchoText.Length));
        var elapsed = clock.Elapsed;
        if (_buffer[0] != 3 || BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(4)) != 1024)
            throw new InvalidDataException("the echo was not the ServerCutText sent");
        return elapsed;
    }

    /// <summary>A ClientCutText message of <paramref name="size"/> bytes in all, its text from the pattern.</summary>
    private static byte[] MakeCutText(int size)
    {
        var message = new byte[size];
        message[0] = 6;
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4), size - 8);
        SyntheticVncServer.Pattern.AsSpan(0, size - 8).CopyTo(message.AsSpan(8));
        return message;
    }

    public async ValueTask DisposeAsync()
    {
        _socket?.Abort();
        await _stream.DisposeAsync();
    }
}
