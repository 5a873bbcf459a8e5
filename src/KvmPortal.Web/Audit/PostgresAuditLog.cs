using KvmPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace KvmPortal.Web.Audit;

/// <summary>
/// Appends each entry to the AuditLog table with one INSERT. A failed write is logged and rethrown: the caller's
/// change must not be reported as done when its audit row is missing.
/// </summary>
public sealed class PostgresAuditLog(IDbContextFactory<KvmPortalDbContext> contexts, ILogger<PostgresAuditLog> logger) : IAuditLog
{
    public async Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            db.AuditLog.Add(ToRecord(entry));
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Audit entry {Action} by {Actor} could not be written", entry.Action, entry.Actor.UserName);
            throw new AuditWriteException(entry.Action, e);
        }
    }

    internal static AuditRecord ToRecord(AuditEntry entry) => new()
    {
        Time = entry.Time.ToUniversalTime(),
        ActorId = entry.Actor.UserId,
        ActorName = entry.Actor.UserName,
        SourceIp = entry.Actor.SourceIp,
        Action = entry.Action,
        HostId = entry.Target.HostId,
        HostName = entry.Target.HostName,
        VmUuid = entry.Target.VmUuid,
        VmName = entry.Target.VmName,
        Pool = entry.Target.Pool,
        Volume = entry.Target.Volume,
        Network = entry.Target.Network,
        OtherTarget = entry.Target.Other,
        Parameters = entry.ParametersJson,
        Succeeded = entry.Succeeded,
        Error = entry.Error,
        XmlBefore = entry.XmlBefore,
        XmlAfter = entry.XmlAfter,
    };
}

/// <summary>The audit row of an operation could not be written, so the operation must not be reported as done.</summary>
public sealed class AuditWriteException(string action, Exception inner)
    : Exception($"The audit log entry for '{action}' could not be written.", inner);
