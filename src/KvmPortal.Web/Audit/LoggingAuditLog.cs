namespace KvmPortal.Web.Audit;

/// <summary>
/// Writes audit entries to the application log. Registered only when nothing else provides <see cref="IAuditLog"/>;
/// the PostgreSQL audit log (AddKvmPortalAudit) replaces it.
/// </summary>
internal sealed class LoggingAuditLog(ILogger<LoggingAuditLog> logger) : IAuditLog
{
    public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        logger.LogInformation(
            "Audit: {User} ({SourceIp}) {Action} on {Target}: {Result} {Parameters}",
            entry.Actor.UserName, entry.Actor.SourceIp, entry.Action, entry.Target,
            entry.Succeeded ? "ok" : entry.Error, entry.ParametersJson);
        return Task.CompletedTask;
    }
}
