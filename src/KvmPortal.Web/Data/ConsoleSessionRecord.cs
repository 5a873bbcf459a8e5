using KvmPortal.Web.Consoles;

namespace KvmPortal.Web.Data;

/// <summary>One console session, written when it opens and completed when it ends: who watched what, how long, how much.</summary>
public sealed class ConsoleSessionRecord
{
    public Guid Id { get; set; }
    public string UserId { get; set; } = "";
    public string UserName { get; set; } = "";
    public Guid HostId { get; set; }
    public Guid DomainUuid { get; set; }
    public string VmName { get; set; } = "";
    public ConsoleKind Kind { get; set; }
    public ConsoleMode Mode { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public long BytesToClient { get; set; }
    public long BytesToServer { get; set; }
    public string? EndReason { get; set; }
}
