using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Claims;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Consoles;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Web.Consoles;

/// <summary>
/// The VNC console proxy: a WebSocket on the dashboard's own origin. It takes nothing from the client but a
/// single-use ticket; the target comes from the ticket and the domain's live XML on the server.
/// </summary>
public static class ConsoleProxyEndpoints
{
    public const string VncPath = "/consoles/vnc";
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapConsoleProxy(this IEndpointRouteBuilder app)
    {
        // Authentication is checked inside: a WebSocket gets 401/403, not the login page's redirect.
        app.Map(VncPath, ProxyVncAsync).AllowAnonymous();
        return app;
    }

    private static async Task ProxyVncAsync(HttpContext context, ConsoleTickets tickets, IConsoleLocator locator, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(ConsoleProxyEndpoints).FullName!);
        var aborted = context.RequestAborted;
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        if (context.User.Identity?.IsAuthenticated != true || context.User.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        if (!IsSameOrigin(context.Request))
        {
            logger.LogWarning("Console connection from foreign origin {Origin} refused for user {User}", context.Request.Headers.Origin.ToString(), userId);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var redemption = await tickets.RedeemAsync(context.Request.Query["ticket"].ToString(), userId, aborted);
        if (redemption.Target is not { Kind: ConsoleKind.Vnc } target)
        {
            logger.LogWarning("Console ticket refused for user {User}: {Refusal}", userId, redemption.Refusal?.ToString() ?? "not a VNC ticket");
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        Stream server;
        try
        {
            var endpoint = await locator.LocateVncAsync(new VmKey(target.HostId, target.DomainUuid), aborted);
            server = await ConnectAsync(endpoint, aborted);
            await RfbHandshake.ConnectToServerAsync(server, endpoint.Password, aborted).WaitAsync(ConnectTimeout, aborted);
        }
        catch (Exception e) when (e is HypervisorException or RfbHandshakeException or SocketException or IOException or TimeoutException)
        {
            logger.LogWarning("Console of VM {Vm} on host {Host} unreachable: {Reason}", target.DomainUuid, target.HostId, e.Message);
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            await context.Response.WriteAsync(e.Message, aborted);
            return;
        }

        await using (server)
        {
            var accept = new WebSocketAcceptContext { SubProtocol = context.WebSockets.WebSocketRequestedProtocols.Contains("binary") ? "binary" : null };
            var socket = await context.WebSockets.AcceptWebSocketAsync(accept);
            await using var client = WebSocketStream.Create(socket, WebSocketMessageType.Binary, ownsWebSocket: true);
            logger.LogInformation("Console of VM {Vm} opened by user {User} ({Mode})", target.DomainUuid, userId, target.Mode);
            var counters = new RelayCounters();
            try
            {
                await RfbHandshake.AcceptClientAsync(client, aborted);
                var ended = await VncRelay.RunAsync(client, server, new RfbClientMessageFilter(target.Mode == ConsoleMode.ViewOnly), counters, aborted);
                logger.LogInformation("Console of VM {Vm} for user {User} ended: {Reason}; {ToClient} bytes to the browser, {ToServer} to the VM",
                    target.DomainUuid, userId, ended, counters.ToClient, counters.ToServer);
            }
            catch (Exception e) when (e is RfbHandshakeException or IOException or WebSocketException or OperationCanceledException)
            {
                logger.LogInformation("Console of VM {Vm} for user {User} ended: {Reason}", target.DomainUuid, userId, e.Message);
            }
        }
    }

    private static bool IsSameOrigin(HttpRequest request) =>
        request.Headers.Origin.ToString() is { Length: > 0 } origin
        && string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);

    private static async Task<Stream> ConnectAsync(VncEndpoint endpoint, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        Socket socket;
        if (endpoint.SocketPath is { } path)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), timeout.Token);
        }
        else
        {
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(endpoint.Address!, endpoint.Port, timeout.Token);
        }
        return new NetworkStream(socket, ownsSocket: true);
    }
}
