using System.Net;
using System.Net.Sockets;

namespace KvmPortal.Web.Tests.Integration.Outage;

/// <summary>
/// A TCP port in front of the real PostgreSQL server, so a test can take the database away from the app (every open
/// connection dropped, new ones refused) and give it back, as an outage or a server restart would.
/// </summary>
public sealed class DatabaseRelay : IDisposable
{
    private readonly DnsEndPoint _server;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _down;

    public DatabaseRelay(string host, int port)
    {
        _server = new DnsEndPoint(host, port);
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Drops every connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void TakeDown()
    {
        _down = true;
        lock (_open)
        {
            foreach (var socket in _open) socket.Dispose();
            _open.Clear();
        }
    }

    public void Restore() => _down = false;

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            if (_down)
            {
                client.Dispose();
                continue;
            }
            var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await server.ConnectAsync(_server, _stop.Token);
            }
            catch (SocketException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }
            lock (_open) _open.AddRange([client, server]);
            _ = PumpAsync(client, server);
            _ = PumpAsync(server, client);
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0) break;
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        to.Dispose();
        from.Dispose();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        TakeDown();
        _stop.Dispose();
    }
}
