namespace KvmPortal.Web.Data;

/// <summary>One row of the append-only audit log, as stored; see <see cref="Audit.AuditEntry"/>.</summary>
public sealed class AuditRecord
{
    public long Id { get; set; }
    public DateTimeOffset Time { get; set; }
    public string ActorId { get; set; } = "";
    public string ActorName { get; set; } = "";
    public string? SourceIp { get; set; }
    public string Action { get; set; } = "";
    public Guid? HostId { get; set; }
    public string? HostName { get; set; }
    public Guid? VmUuid { get; set; }
    public string? VmName { get; set; }
    public string? Pool { get; set; }
    public string? Volume { get; set; }
    public string? Network { get; set; }
    public string? OtherTarget { get; set; }
    public string? Parameters { get; set; }
    public bool Succeeded { get; set; }
    public string? Error { get; set; }
    public string? XmlBefore { get; set; }
    public string? XmlAfter { get; set; }
}
