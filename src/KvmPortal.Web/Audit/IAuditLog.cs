using KvmPortal.Web.Access;

namespace KvmPortal.Web.Audit;

/// <summary>What an audited operation acted on; every field that applies is set, the rest are null.</summary>
public sealed record AuditTarget(
    Guid? HostId = null,
    string? HostName = null,
    Guid? VmUuid = null,
    string? VmName = null,
    string? Pool = null,
    string? Volume = null,
    string? Network = null,
    string? Other = null);

/// <summary>
/// One row of the append-only audit log: who did what to which target, with which parameters (JSON), whether it
/// worked (the error when not), and for edits the XML before and after.
/// </summary>
public sealed record AuditEntry(
    DateTimeOffset Time,
    Actor Actor,
    string Action,
    AuditTarget Target,
    string? ParametersJson,
    bool Succeeded,
    string? Error,
    string? XmlBefore = null,
    string? XmlAfter = null);

/// <summary>Appends audit entries. A change whose entry cannot be written must not be reported as done unaudited.</summary>
public interface IAuditLog
{
    Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default);
}
