using System.Net;
using System.Net.Sockets;

namespace KvmPortal.Hypervisor.Tests.Support;

/// <summary>
/// A TCP port in front of the local libvirtd socket, so a test can reach the real daemon as a
/// qemu+tcp host and then cut, refuse or freeze the connection like a network would.
/// </summary>
public sealed class LibvirtRelay : IDisposable
{
    private const string DaemonSocket = "/var/run/libvirt/libvirt-sock";
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _refusing;
    private volatile bool _frozen;

    public LibvirtRelay()
    {
        if (!File.Exists(DaemonSocket))
            throw new InvalidOperationException($"libvirtd is not running ({DaemonSocket} is missing): deploy/test.sh starts it.");
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public string Uri => $"qemu+tcp://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/system";

    /// <summary>While refusing, new connections are closed as soon as they are accepted.</summary>
    public bool Refusing { get => _refusing; set => _refusing = value; }

    /// <summary>Stops forwarding in both directions but keeps the sockets open: a host that hangs.</summary>
    public void Freeze() => _frozen = true;

    /// <summary>Closes every relayed connection, as a daemon restart would.</summary>
    public void DropAll()
    {
        lock (_open)
        {
            foreach (var socket in _open) socket.Dispose();
            _open.Clear();
        }
    }

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
            if (_refusing)
            {
                client.Dispose();
                continue;
            }
            var daemon = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await daemon.ConnectAsync(new UnixDomainSocketEndPoint(DaemonSocket));
            lock (_open) _open.AddRange([client, daemon]);
            _ = PumpAsync(client, daemon);
            _ = PumpAsync(daemon, client);
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
                if (_frozen) continue;
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
        DropAll();
        _stop.Dispose();
    }
}
