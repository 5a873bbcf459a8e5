using System.Text.Json;
using KvmPortal.Web.Access;
using KvmPortal.Web.Consoles;

namespace KvmPortal.Web.Audit;

/// <summary>Audits console sessions when they end (with their duration and traffic) and console connections refused.</summary>
public sealed class ConsoleAudit(IAuditLog log)
{
    public Task SessionEndedAsync(LiveConsoleSession session, DateTimeOffset endedAt, string reason)
    {
        var parameters = JsonSerializer.Serialize(new
        {
            kind = ConsoleNames.Kind(session.Kind),
            mode = ConsoleNames.Mode(session.Mode),
            startedAt = session.StartedAt,
            durationSeconds = Math.Round((endedAt - session.StartedAt).TotalSeconds, 3),
            bytesToBrowser = session.Counters.ToClient,
            bytesToVm = session.Counters.ToServer,
            ended = reason,
        });
        return log.RecordAsync(new AuditEntry(endedAt, new Actor(session.UserId, session.UserName, session.SourceIp),
            AuditActions.ConsoleSession, new AuditTarget(HostId: session.HostId, VmUuid: session.DomainUuid, VmName: session.VmName),
            parameters, true, null));
    }

    /// <summary>A console connection refused before it opened; <paramref name="target"/> is null when the ticket was not redeemed.</summary>
    public Task RefusedAsync(HttpContext context, string userId, ConsoleTarget? target, string reason, DateTimeOffset at)
    {
        var parameters = JsonSerializer.Serialize(new
        {
            kind = target is null ? null : ConsoleNames.Kind(target.Kind),
            mode = target is null ? null : ConsoleNames.Mode(target.Mode),
            origin = context.Request.Headers.Origin.ToString() is { Length: > 0 } origin ? origin : null,
        });
        var actor = new Actor(userId, context.User.Identity?.Name ?? userId, SourceAddress.Of(context));
        var auditTarget = target is null ? new AuditTarget() : new AuditTarget(HostId: target.HostId, VmUuid: target.DomainUuid);
        // Not the request's token: a refusal is audited even when the client has already gone.
        return log.RecordAsync(new AuditEntry(at, actor, AuditActions.ConsoleOpen, auditTarget, parameters, false, reason));
    }
}

/// <summary>The stable lower-case names the audit parameters use for console kinds and modes.</summary>
internal static class ConsoleNames
{
    public static string Kind(ConsoleKind kind) => kind.ToString().ToLowerInvariant();

    public static string Mode(ConsoleMode mode) => mode == ConsoleMode.ViewOnly ? "view-only" : "full";
}
