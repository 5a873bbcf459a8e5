using System.Net.Sockets;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Consoles;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Web.Consoles;

/// <summary>
/// The console proxies: WebSockets on the dashboard's own origin, for VNC and for serial consoles. They take
/// nothing from the client but a single-use ticket (and, for serial, which of the VM's devices); the target
/// comes from the ticket and the domain's live XML on the server.
/// </summary>
public static class ConsoleProxyEndpoints
{
    public const string VncPath = "/consoles/vnc";
    public const string SerialPath = "/consoles/serial";
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapConsoleProxy(this IEndpointRouteBuilder app)
    {
        // Authentication is checked inside: a WebSocket gets 401/403, not the login page's redirect.
        app.Map(VncPath, ProxyVncAsync).AllowAnonymous();
        app.Map(SerialPath, ProxySerialAsync).AllowAnonymous();
        return app;
    }

    private static async Task ProxyVncAsync(HttpContext context, ConsoleGatekeeper gatekeeper, ConsoleSessions sessions,
        IConsoleLocator locator, IInventory inventory, ILoggerFactory loggers)
    {
        var logger = Logger(loggers);
        var aborted = context.RequestAborted;
        // The VM's VNC server is reached while the gatekeeper checks the permission again.
        if (await gatekeeper.AdmitAsync(context, ConsoleKind.Vnc, target => ReachAsync(locator, target, aborted)) is not var (admission, reaching))
            return;
        using var _ = admission; // frees the console slot when the connection ends
        var target = admission.Target;

        var recording = ConsoleProxySession.BeginRecording(admission, sessions, inventory);
        Stream server;
        try
        {
            server = await reaching;
        }
        catch (Exception e) when (e is HypervisorException or RfbHandshakeException or SocketException or IOException or TimeoutException)
        {
            await sessions.AbandonAsync(recording);
            await gatekeeper.UnreachableAsync(context, admission, e);
            return;
        }

        await using (server)
        {
            await ConsoleProxySession.RunAsync(context, admission, recording, sessions, logger, async (client, counters, stop) =>
            {
                await RfbHandshake.AcceptClientAsync(client.Stream, stop);
                return await VncRelay.RunAsync(client, server, new RfbClientMessageFilter(target.Mode == ConsoleMode.ViewOnly), counters, stop);
            });
        }
    }

    private static async Task ProxySerialAsync(HttpContext context, ConsoleGatekeeper gatekeeper, ConsoleSessions sessions,
        SerialConsoleHub consoles, IInventory inventory, ILoggerFactory loggers)
    {
        var logger = Logger(loggers);
        if (await gatekeeper.AdmitAsync(context, ConsoleKind.Serial) is not { } admission)
            return;
        using var _ = admission; // frees the console slot when the connection ends
        var target = admission.Target;
        var device = context.Request.Query["device"].ToString() is { Length: > 0 } alias ? alias : null;

        var recording = ConsoleProxySession.BeginRecording(admission, sessions, inventory);
        SerialConsoleViewer console;
        try
        {
            console = await consoles.AttachAsync(new VmKey(target.HostId, target.DomainUuid), device, context.RequestAborted);
        }
        catch (HypervisorException e)
        {
            await sessions.AbandonAsync(recording);
            await gatekeeper.UnreachableAsync(context, admission, e);
            return;
        }

        await using (console)
        {
            await ConsoleProxySession.RunAsync(context, admission, recording, sessions, logger,
                (client, counters, stop) => SerialRelay.RunAsync(client, console, target.Mode, counters, stop));
        }
    }

    private static ILogger Logger(ILoggerFactory loggers) => loggers.CreateLogger(typeof(ConsoleProxyEndpoints).FullName!);

    private static async Task<Stream> ReachAsync(IConsoleLocator locator, ConsoleTarget target, CancellationToken cancellationToken) =>
        await ConnectAsync(await locator.LocateVncAsync(new VmKey(target.HostId, target.DomainUuid), cancellationToken), cancellationToken);

    /// <summary>
    /// The VM's VNC server, connected and past its handshake (the proxy authenticates itself) within
    /// <see cref="ConnectTimeout"/>; nothing is left open when that fails.
    /// </summary>
    private static async Task<Stream> ConnectAsync(VncEndpoint endpoint, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        Stream? stream = null;
        try
        {
            stream = endpoint.Tunnel is { } tunnel
                ? tunnel.Open(endpoint.Address!, endpoint.Port) // a display on an SSH host's loopback
                : await ConnectSocketAsync(endpoint, timeout.Token);
            await RfbHandshake.ConnectToServerAsync(stream, endpoint.Password, timeout.Token);
            return stream;
        }
        catch (Exception e)
        {
            if (stream is not null) await stream.DisposeAsync();
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                throw new TimeoutException($"The VNC server did not answer within {ConnectTimeout.TotalSeconds:0} s.");
            throw;
        }
    }

    private static async Task<Stream> ConnectSocketAsync(VncEndpoint endpoint, CancellationToken cancellationToken)
    {
        Socket socket = endpoint.SocketPath is not null
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (endpoint.SocketPath is { } path)
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
            else
                await socket.ConnectAsync(endpoint.Address!, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
