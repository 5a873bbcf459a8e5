using System.Security.Claims;
using KvmPortal.Web.Access;
using KvmPortal.Web.Api.Tokens;
using KvmPortal.Web.Audit;
using Microsoft.AspNetCore.Authentication;

namespace KvmPortal.Web.Consoles;

/// <summary>
/// A console connection that passed every check: who, and what the ticket (narrowed by today's grants) allows. It
/// holds one of the user's console slots until disposed, when the connection ends.
/// </summary>
internal sealed record ConsoleAdmission(string UserId, string UserName, ConsoleTarget Target, IDisposable Slot) : IDisposable
{
    public void Dispose() => Slot.Dispose();
}

/// <summary>
/// What every console WebSocket must pass before anything is opened, whatever the kind: a WebSocket request, a
/// logged-in user or an API token (401), our own Origin for browsers (403), a valid ticket of this user for this kind of console (403), the
/// permission still granted now, not only when the ticket was issued (403), and room under the user's session
/// limit (429). Refusals are answered, logged and audited here.
/// </summary>
internal sealed class ConsoleGatekeeper(ConsoleTickets tickets, ConsoleSessions sessions, ConsoleAccess access, ConsoleAudit audit,
    TimeProvider clock, ILogger<ConsoleGatekeeper> logger)
{
    public async Task<ConsoleAdmission?> AdmitAsync(HttpContext context, ConsoleKind kind) =>
        (await AdmitAsync<NothingOpened>(context, kind, _ => Task.FromResult(new NothingOpened())))?.Admission;

    /// <summary>
    /// Admits as above and starts <paramref name="reach"/> (opening the target) as soon as the ticket names it, to run
    /// while the permission is checked again: nothing of the target reaches the browser before the admission, and on a
    /// refusal what it opened is closed unused.
    /// </summary>
    public async Task<(ConsoleAdmission Admission, Task<T> Reaching)?> AdmitAsync<T>(HttpContext context, ConsoleKind kind,
        Func<ConsoleTarget, Task<T>> reach) where T : IAsyncDisposable
    {
        if (!context.WebSockets.IsWebSocketRequest)
            return Refuse<T>(context, StatusCodes.Status400BadRequest);
        // API clients present their bearer token instead of the browser's cookie. The origin check guards the cookie
        // against cross-site WebSockets; a browser never sends a bearer header on its own, so it does not apply to them.
        var viaApiToken = false;
        if (context.User.Identity?.IsAuthenticated != true
            && (await context.AuthenticateAsync(ApiTokenAuthenticationHandler.SchemeName)).Principal is { } apiUser)
        {
            context.User = apiUser;
            viaApiToken = true;
        }
        if (context.User.Identity?.IsAuthenticated != true || context.User.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return Refuse<T>(context, StatusCodes.Status401Unauthorized);
        if (!viaApiToken && !IsSameOrigin(context.Request))
        {
            logger.LogWarning("Console connection from foreign origin {Origin} refused for user {User}", context.Request.Headers.Origin.ToString(), userId);
            return await RefuseAsync<T>(context, userId, null, "foreign origin", StatusCodes.Status403Forbidden);
        }

        // The user's grants are read while the ticket is redeemed: two database round trips at once, not one after the other.
        var actor = CurrentActor.FromPrincipal(context.User, SourceAddress.Of(context));
        var decisions = access.Prepare(actor, context.RequestAborted);
        var redemption = await tickets.RedeemAsync(context.Request.Query["ticket"].ToString(), userId, context.RequestAborted);
        if (redemption.Target is not { } ticketTarget || ticketTarget.Kind != kind)
        {
            var refusal = redemption.Refusal is { } reason ? $"ticket refused: {reason}" : $"not a {kind} ticket";
            logger.LogWarning("Console ticket refused for user {User}: {Refusal}", userId, refusal);
            return await RefuseAsync<T>(context, userId, redemption.Target, refusal, StatusCodes.Status403Forbidden);
        }

        var reaching = reach(ticketTarget);
        try
        {
            if (await access.GetModeAsync(decisions, ticketTarget.HostId, ticketTarget.DomainUuid, ticketTarget.Mode) is not { } mode)
            {
                logger.LogWarning("Console of VM {Vm} refused for user {User}: no console permission any more", ticketTarget.DomainUuid, userId);
                await DiscardAsync(reaching);
                return await RefuseAsync<T>(context, userId, ticketTarget, "no console permission", StatusCodes.Status403Forbidden);
            }
            var target = ticketTarget with { Mode = mode };

            if (sessions.TryTakeSlot(userId) is not { } slot)
            {
                logger.LogWarning("Console refused for user {User}: too many open consoles", userId);
                await DiscardAsync(reaching);
                return await RefuseAsync<T>(context, userId, target, "too many open consoles", StatusCodes.Status429TooManyRequests);
            }
            return (new ConsoleAdmission(userId, context.User.Identity?.Name ?? userId, target, slot), reaching);
        }
        catch (Exception)
        {
            await DiscardAsync(reaching);
            throw;
        }
    }

    private static async Task DiscardAsync<T>(Task<T> reaching) where T : IAsyncDisposable
    {
        try
        {
            await (await reaching).DisposeAsync();
        }
        catch (Exception)
        {
            // It failed to open: nothing to close.
        }
    }

    private sealed class NothingOpened : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>The target was admitted but could not be reached (VM gone, no VNC, handshake failed): 502, audited.</summary>
    public async Task UnreachableAsync(HttpContext context, ConsoleAdmission admission, Exception e)
    {
        var target = admission.Target;
        logger.LogWarning("{Kind} console of VM {Vm} on host {Host} unreachable: {Reason}", target.Kind, target.DomainUuid, target.HostId, e.Message);
        await audit.RefusedAsync(context, admission.UserId, target, "console unreachable: " + e.Message, clock.GetUtcNow());
        context.Response.StatusCode = StatusCodes.Status502BadGateway;
        await context.Response.WriteAsync(e.Message, context.RequestAborted);
    }

    private async Task<(ConsoleAdmission, Task<T>)?> RefuseAsync<T>(HttpContext context, string userId, ConsoleTarget? target, string reason, int status)
    {
        await audit.RefusedAsync(context, userId, target, reason, clock.GetUtcNow());
        return Refuse<T>(context, status);
    }

    private static (ConsoleAdmission, Task<T>)? Refuse<T>(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return null;
    }

    private static bool IsSameOrigin(HttpRequest request) =>
        request.Headers.Origin.ToString() is { Length: > 0 } origin
        && string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
}
