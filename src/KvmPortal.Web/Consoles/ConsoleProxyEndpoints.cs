using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Claims;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Consoles;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Api.Tokens;
using KvmPortal.Web.Audit;
using Microsoft.AspNetCore.Authentication;

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

    private static async Task ProxyVncAsync(HttpContext context, ConsoleTickets tickets, ConsoleSessions sessions,
        ConsoleAccess access, IConsoleLocator locator, IInventory inventory, ConsoleAudit audit, TimeProvider clock, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(ConsoleProxyEndpoints).FullName!);
        var aborted = context.RequestAborted;
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        // API clients present their bearer token instead of the browser's cookie. The origin check below guards the
        // cookie against cross-site WebSockets; a browser never sends a bearer header on its own, so it does not apply.
        var viaApiToken = false;
        if (context.User.Identity?.IsAuthenticated != true
            && (await context.AuthenticateAsync(ApiTokenAuthenticationHandler.SchemeName)).Principal is { } apiUser)
        {
            context.User = apiUser;
            viaApiToken = true;
        }
        if (context.User.Identity?.IsAuthenticated != true || context.User.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        if (!viaApiToken && !IsSameOrigin(context.Request))
        {
            logger.LogWarning("Console connection from foreign origin {Origin} refused for user {User}", context.Request.Headers.Origin.ToString(), userId);
            await audit.RefusedAsync(context, userId, null, "foreign origin", clock.GetUtcNow());
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var redemption = await tickets.RedeemAsync(context.Request.Query["ticket"].ToString(), userId, aborted);
        if (redemption.Target is not { Kind: ConsoleKind.Vnc } ticketTarget)
        {
            var refusal = redemption.Refusal is { } reason ? $"ticket refused: {reason}" : "not a VNC ticket";
            logger.LogWarning("Console ticket refused for user {User}: {Refusal}", userId, refusal);
            await audit.RefusedAsync(context, userId, redemption.Target, refusal, clock.GetUtcNow());
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        // The permission is checked again: a grant revoked or narrowed since the ticket was issued counts now.
        var actor = CurrentActor.FromPrincipal(context.User, context.Connection.RemoteIpAddress?.ToString());
        if (await access.GetModeAsync(actor, ticketTarget.HostId, ticketTarget.DomainUuid, ticketTarget.Mode, aborted) is not { } mode)
        {
            logger.LogWarning("Console of VM {Vm} refused for user {User}: no console permission any more", ticketTarget.DomainUuid, userId);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        var target = ticketTarget with { Mode = mode };

        if (sessions.IsAtLimit(userId))
        {
            logger.LogWarning("Console refused for user {User}: too many open consoles", userId);
            await audit.RefusedAsync(context, userId, target, "too many open consoles", clock.GetUtcNow());
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
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
            await audit.RefusedAsync(context, userId, target, "console unreachable: " + e.Message, clock.GetUtcNow());
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            await context.Response.WriteAsync(e.Message, aborted);
            return;
        }

        await using (server)
        {
            var accept = new WebSocketAcceptContext { SubProtocol = context.WebSockets.WebSocketRequestedProtocols.Contains("binary") ? "binary" : null };
            var socket = await context.WebSockets.AcceptWebSocketAsync(accept);
            await using var client = WebSocketStream.Create(socket, WebSocketMessageType.Binary, ownsWebSocket: true);
            var vm = new VmKey(target.HostId, target.DomainUuid);
            var vmName = inventory.Current.Vms.TryGetValue(vm, out var info) ? info.Name : target.DomainUuid.ToString();
            var counters = new RelayCounters();
            var session = await sessions.StartAsync(userId, context.User.Identity?.Name ?? userId, target, vmName, counters, aborted);
            session.SourceIp = SourceAddress.Of(context);
            logger.LogInformation("Console of VM {Vm} opened by user {User} ({Mode})", vmName, userId, target.Mode);
            var ended = "connection error";
            try
            {
                await RfbHandshake.AcceptClientAsync(client, session.Disconnect.Token);
                ended = await VncRelay.RunAsync(client, server, new RfbClientMessageFilter(target.Mode == ConsoleMode.ViewOnly),
                    counters, session.Disconnect.Token);
            }
            catch (Exception e) when (e is RfbHandshakeException or IOException or WebSocketException or OperationCanceledException)
            {
                ended = e.Message;
            }
            finally
            {
                if (session.DisconnectedByAdministrator)
                    ended = "disconnected by an administrator";
                logger.LogInformation("Console of VM {Vm} for user {User} ended: {Reason}; {ToClient} bytes to the browser, {ToServer} to the VM",
                    vmName, userId, ended, counters.ToClient, counters.ToServer);
                await sessions.EndAsync(session, ended);
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
