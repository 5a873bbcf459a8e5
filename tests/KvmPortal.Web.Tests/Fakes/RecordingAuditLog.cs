using System.Collections.Concurrent;
using KvmPortal.Web.Audit;

namespace KvmPortal.Web.Tests.Fakes;

/// <summary>Keeps the audit entries written, in order (the real store is the audit branch's).</summary>
public sealed class RecordingAuditLog : IAuditLog
{
    public ConcurrentQueue<AuditEntry> Entries { get; } = new();

    public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        Entries.Enqueue(entry);
        return Task.CompletedTask;
    }
}
