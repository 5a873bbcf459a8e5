using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using KvmPortal.Web.Consoles;

namespace KvmPortal.Web.Tests.Consoles;

/// <summary>The VNC relay over real loopback sockets: a WebSocket on the browser's side, TCP on the VNC server's.</summary>
public sealed class VncRelayTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Everything_the_server_sent_before_closing_reaches_the_browser_before_the_close()
    {
        await using var relay = await RelayUnderTest.StartAsync();
        var sent = Enumerable.Range(0, 3 << 20).Select(i => (byte)(i % 251)).ToArray();
        await relay.Server.WriteAsync(sent);
        relay.Server.Close();

        var (received, close) = await relay.ReceiveUntilCloseAsync();

        Assert.Equal(sent.Length, received.Length);
        Assert.True(sent.AsSpan().SequenceEqual(received));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, close.CloseStatus);
        Assert.Equal("closed by the VNC server", close.CloseStatusDescription);
        await relay.Browser.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        Assert.Equal("closed by the VNC server", await relay.Relaying.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_browser_that_leaves_without_answering_the_close_still_ends_the_session()
    {
        await using var relay = await RelayUnderTest.StartAsync();
        await relay.Server.WriteAsync(new byte[1000]);
        relay.Server.Close();
        var (received, _) = await relay.ReceiveUntilCloseAsync();
        Assert.Equal(1000, received.Length);

        relay.Browser.Abort();
        relay.BrowserStream.Dispose();

        Assert.Equal("closed by the VNC server", await relay.Relaying.WaitAsync(Patience));
    }

    [Fact]
    public async Task Client_messages_larger_than_the_idle_buffer_reach_the_server_whole_and_in_order()
    {
        await using var relay = await RelayUnderTest.StartAsync();
        var cutText = new byte[8 + 100_000];
        cutText[0] = 6;
        BinaryPrimitives.WriteInt32BigEndian(cutText.AsSpan(4), 100_000);
        for (var i = 8; i < cutText.Length; i++) cutText[i] = (byte)('a' + i % 26);
        byte[] key = [4, 1, 0, 0, 0, 0, 0, 0x61];
        byte[] clientInit = [1];
        var expected = clientInit.Concat(cutText).Concat(key).Concat(cutText).ToArray();

        await relay.Browser.SendAsync(clientInit, WebSocketMessageType.Binary, true, CancellationToken.None);
        await relay.Browser.SendAsync(cutText.Concat(key).ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None);
        await relay.Browser.SendAsync(cutText, WebSocketMessageType.Binary, true, CancellationToken.None);
        var atServer = new byte[expected.Length];
        await relay.Server.ReadExactlyAsync(atServer).AsTask().WaitAsync(Patience);

        Assert.Equal(expected, atServer);
    }

    [Fact]
    public async Task A_rented_buffer_writer_keeps_what_was_written_while_it_grows_and_forgets_it_on_release()
    {
        using var writer = new RentedBufferWriter();
        var first = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        System.Buffers.BuffersExtensions.Write(writer, first);
        System.Buffers.BuffersExtensions.Write(writer, first);
        Assert.Equal(first.Concat(first).ToArray(), writer.WrittenMemory.ToArray());

        writer.Release();

        Assert.Equal(0, writer.WrittenCount);
        System.Buffers.BuffersExtensions.Write(writer, new byte[] { 7 });
        Assert.Equal([7], writer.WrittenMemory.ToArray());
    }

    /// <summary>A browser WebSocket and a VNC server socket around a running relay.</summary>
    private sealed class RelayUnderTest : IAsyncDisposable
    {
        public required WebSocket Browser { get; init; }
        public required NetworkStream BrowserStream { get; init; }
        public required NetworkStream Server { get; init; }
        public required Task<string> Relaying { get; init; }
        private readonly List<IAsyncDisposable> _owned = [];

        public static async Task<RelayUnderTest> StartAsync()
        {
            var (browserEnd, proxyClientEnd) = await SocketPairAsync();
            var (proxyServerEnd, serverEnd) = await SocketPairAsync();
            var browser = WebSocket.CreateFromStream(browserEnd, isServer: false, subProtocol: null, keepAliveInterval: TimeSpan.Zero);
            var proxySide = new ConsoleClient(WebSocket.CreateFromStream(proxyClientEnd, isServer: true, subProtocol: null, keepAliveInterval: TimeSpan.Zero));
            var relay = new RelayUnderTest
            {
                Browser = browser,
                BrowserStream = browserEnd,
                Server = serverEnd,
                Relaying = VncRelay.RunAsync(proxySide, proxyServerEnd, new RfbClientMessageFilter(viewOnly: false), new RelayCounters(), CancellationToken.None),
            };
            relay._owned.AddRange([proxySide, proxyServerEnd, serverEnd, browserEnd]);
            return relay;
        }

        public async Task<(byte[] Received, WebSocketReceiveResult Close)> ReceiveUntilCloseAsync()
        {
            var received = new MemoryStream();
            var buffer = new byte[16 * 1024];
            while (true)
            {
                var result = await Browser.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Patience);
                if (result.MessageType == WebSocketMessageType.Close) return (received.ToArray(), result);
                received.Write(buffer, 0, result.Count);
            }
        }

        private static async Task<(NetworkStream, NetworkStream)> SocketPairAsync()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var connecting = new Socket(SocketType.Stream, ProtocolType.Tcp);
            var accepting = listener.AcceptSocketAsync();
            await connecting.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
            return (new NetworkStream(connecting, ownsSocket: true), new NetworkStream(await accepting, ownsSocket: true));
        }

        public async ValueTask DisposeAsync()
        {
            Browser.Abort();
            foreach (var owned in _owned) await owned.DisposeAsync();
            await Relaying.WaitAsync(Patience);
        }
    }
}
