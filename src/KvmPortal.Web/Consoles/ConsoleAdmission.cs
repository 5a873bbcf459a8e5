using System.Security.Claims;
using KvmPortal.Web.Audit;

namespace KvmPortal.Web.Consoles;

/// <summary>
/// What every console WebSocket must pass before anything is opened, whatever the kind: a WebSocket request, a
/// logged-in user (401), our own Origin (403), a valid ticket of this user for this kind of console (403), and
/// room under the user's session limit (429). Refusals are answered, logged and audited here.
/// </summary>
internal sealed record ConsoleAdmission(string UserId, string UserName, ConsoleTarget Target)
{
    public static async Task<ConsoleAdmission?> CheckAsync(HttpContext context, ConsoleKind kind, ConsoleTickets tickets,
        ConsoleSessions sessions, ConsoleAudit audit, TimeProvider clock, ILogger logger)
    {
        if (!context.WebSockets.IsWebSocketRequest)
            return Refuse(context, StatusCodes.Status400BadRequest);
        if (context.User.Identity?.IsAuthenticated != true || context.User.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return Refuse(context, StatusCodes.Status401Unauthorized);
        if (!IsSameOrigin(context.Request))
        {
            logger.LogWarning("Console connection from foreign origin {Origin} refused for user {User}", context.Request.Headers.Origin.ToString(), userId);
            await audit.RefusedAsync(context, userId, null, "foreign origin", clock.GetUtcNow());
            return Refuse(context, StatusCodes.Status403Forbidden);
        }

        var redemption = await tickets.RedeemAsync(context.Request.Query["ticket"].ToString(), userId, context.RequestAborted);
        if (redemption.Target is not { } target || target.Kind != kind)
        {
            var refusal = redemption.Refusal is { } reason ? $"ticket refused: {reason}" : $"not a {kind} ticket";
            logger.LogWarning("Console ticket refused for user {User}: {Refusal}", userId, refusal);
            await audit.RefusedAsync(context, userId, redemption.Target, refusal, clock.GetUtcNow());
            return Refuse(context, StatusCodes.Status403Forbidden);
        }

        if (sessions.IsAtLimit(userId))
        {
            logger.LogWarning("Console refused for user {User}: too many open consoles", userId);
            await audit.RefusedAsync(context, userId, target, "too many open consoles", clock.GetUtcNow());
            return Refuse(context, StatusCodes.Status429TooManyRequests);
        }
        return new ConsoleAdmission(userId, context.User.Identity?.Name ?? userId, target);
    }

    private static ConsoleAdmission? Refuse(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return null;
    }

    private static bool IsSameOrigin(HttpRequest request) =>
        request.Headers.Origin.ToString() is { Length: > 0 } origin
        && string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
}
