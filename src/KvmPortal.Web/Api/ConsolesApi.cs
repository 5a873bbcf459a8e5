using KvmPortal.Hypervisor.Consoles.Screenshots;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Consoles;

namespace KvmPortal.Web.Api;

public sealed record ConsoleTicketRequest(bool ViewOnly = false);

/// <summary>A single-use console ticket and where to use it: the WebSocket (RFB over binary frames) of the console proxy.</summary>
public sealed record ConsoleTicketResponse(string Ticket, string WebSocketUrl, DateTimeOffset ExpiresAt, bool ViewOnly);

/// <summary>POST /api/v1/vms/{hostId}/{uuid}/console-tickets: the same tickets the console page uses; GET .../screenshot.</summary>
public static class ConsolesApi
{
    public static RouteGroupBuilder MapConsolesApi(this RouteGroupBuilder api)
    {
        api.MapPost("/vms/{hostId}/{uuid}/console-tickets", async (Guid hostId, Guid uuid, ConsoleTicketRequest? request,
            HttpContext context, ConsoleTickets tickets, ConsoleAccess access, ICurrentActor actors, TimeProvider clock, CancellationToken ct) =>
        {
            var requested = request?.ViewOnly == true ? ConsoleMode.ViewOnly : ConsoleMode.Full;
            var actor = await actors.GetAsync(ct);
            var ticket = await tickets.IssueAsync(actor.UserId, new ConsoleTarget(hostId, uuid, ConsoleKind.Vnc, requested), ct);
            // The ticket may be narrower than asked (a view-only grant); say which the client got.
            var granted = await access.GetModeAsync(actor, hostId, uuid, requested, ct) ?? ConsoleMode.ViewOnly;
            var scheme = context.Request.IsHttps ? "wss" : "ws";
            var url = $"{scheme}://{context.Request.Host}{context.Request.PathBase}{ConsoleProxyEndpoints.VncPath}?ticket={Uri.EscapeDataString(ticket)}";
            return TypedResults.Ok(new ConsoleTicketResponse(ticket, url, clock.GetUtcNow() + ConsoleTickets.Lifetime, granted == ConsoleMode.ViewOnly));
        }).WithTags("Consoles").AddEndpointFilter(VmsApi.RequireKnownVm);

        // The VM's screen as a PNG (at most a few seconds old; a VM that is not running answers 409).
        api.MapGet("/vms/{hostId}/{uuid}/screenshot", async (Guid hostId, Guid uuid, IVmScreenshots screenshots, CancellationToken ct) =>
            ScreenshotEndpoints.Png(await screenshots.CaptureAsync(new VmKey(hostId, uuid), ct)))
            .WithTags("Consoles").AddEndpointFilter(VmsApi.RequireKnownVm).Produces(StatusCodes.Status200OK, contentType: PngEncoder.MimeType);
        return api;
    }
}
