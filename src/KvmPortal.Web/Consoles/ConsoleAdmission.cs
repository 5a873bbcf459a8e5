using System.Security.Claims;

namespace KvmPortal.Web.Consoles;

/// <summary>
/// What every console WebSocket must pass before anything is opened, whatever the kind: a WebSocket request, a
/// logged-in user (401), our own Origin (403), a valid ticket of this user for this kind of console (403), and
/// room under the user's session limit (429). Refusals are answered and logged here.
/// </summary>
internal sealed record ConsoleAdmission(string UserId, string UserName, ConsoleTarget Target)
{
    public static async Task<ConsoleAdmission?> CheckAsync(HttpContext context, ConsoleKind kind, ConsoleTickets tickets,
        ConsoleSessions sessions, ILogger logger)
    {
        if (!context.WebSockets.IsWebSocketRequest)
            return Refuse(context, StatusCodes.Status400BadRequest);
        if (context.User.Identity?.IsAuthenticated != true || context.User.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return Refuse(context, StatusCodes.Status401Unauthorized);
        if (!IsSameOrigin(context.Request))
        {
            logger.LogWarning("Console connection from foreign origin {Origin} refused for user {User}", context.Request.Headers.Origin.ToString(), userId);
            return Refuse(context, StatusCodes.Status403Forbidden);
        }

        var redemption = await tickets.RedeemAsync(context.Request.Query["ticket"].ToString(), userId, context.RequestAborted);
        if (redemption.Target is not { } target || target.Kind != kind)
        {
            logger.LogWarning("Console ticket refused for user {User}: {Refusal}", userId, redemption.Refusal?.ToString() ?? $"not a {kind} ticket");
            return Refuse(context, StatusCodes.Status403Forbidden);
        }

        if (sessions.IsAtLimit(userId))
        {
            logger.LogWarning("Console refused for user {User}: too many open consoles", userId);
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
