using System.Security.Claims;
using KvmPortal.Web.Access;
using KvmPortal.Web.Consoles;

namespace KvmPortal.Web.Api;

public sealed record ConsoleTicketRequest(bool ViewOnly = false);

/// <summary>A single-use console ticket and where to use it: the WebSocket (RFB over binary frames) of the console proxy.</summary>
public sealed record ConsoleTicketResponse(string Ticket, string WebSocketUrl, DateTimeOffset ExpiresAt, bool ViewOnly);

/// <summary>POST /api/v1/vms/{hostId}/{uuid}/console-tickets: the same tickets the console page uses.</summary>
public static class ConsolesApi
{
    public static RouteGroupBuilder MapConsolesApi(this RouteGroupBuilder api)
    {
        api.MapPost("/vms/{hostId}/{uuid}/console-tickets", async (Guid hostId, Guid uuid, ConsoleTicketRequest? request,
            HttpContext context, ConsoleTickets tickets, ApiAccess access, TimeProvider clock, CancellationToken ct) =>
        {
            var viewOnly = request?.ViewOnly ?? false;
            var target = new ConsoleTarget(hostId, uuid, ConsoleKind.Vnc, viewOnly ? ConsoleMode.ViewOnly : ConsoleMode.Full);
            await access.DemandAsync(viewOnly ? PortalAction.OpenConsoleViewOnly : PortalAction.OpenConsole, new AccessTarget(hostId, uuid), ct);
            var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier)!;
            var ticket = await tickets.IssueAsync(userId, target, ct);
            var scheme = context.Request.IsHttps ? "wss" : "ws";
            var url = $"{scheme}://{context.Request.Host}{context.Request.PathBase}{ConsoleProxyEndpoints.VncPath}?ticket={Uri.EscapeDataString(ticket)}";
            return TypedResults.Ok(new ConsoleTicketResponse(ticket, url, clock.GetUtcNow() + ConsoleTickets.Lifetime, viewOnly));
        }).WithTags("Consoles").AddEndpointFilter(VmsApi.RequireKnownVm);
        return api;
    }
}
