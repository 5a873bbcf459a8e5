using System.Collections.Concurrent;
using KvmPortal.Hypervisor.Snapshots;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Web.Tests.Fakes;

/// <summary>Answers with <see cref="Snapshots"/> and records each change as a readable line; throws <see cref="Failure"/> when set.</summary>
public sealed class RecordingSnapshotOperations : ISnapshotOperations
{
    public List<SnapshotInfo> Snapshots { get; } = [];

    public ConcurrentQueue<string> Calls { get; } = new();

    public Exception? Failure { get; set; }

    public Task<IReadOnlyList<SnapshotInfo>> ListAsync(VmKey vm, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<SnapshotInfo>>(Snapshots.ToList());

    public async Task<string> CreateAsync(VmKey vm, SnapshotSpec spec, IProgress<Hypervisor.Storage.TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        await Record($"Create {spec.Name} '{spec.Description}' {spec.Kind} memory={spec.IncludeMemory}");
        Snapshots.Add(new SnapshotInfo(spec.Name!, spec.Description, DateTimeOffset.UtcNow, "shutoff", spec.IncludeMemory,
            spec.Kind == SnapshotKind.ExternalDiskOnly, Snapshots.SingleOrDefault(s => s.IsCurrent)?.Name, false));
        return spec.Name!;
    }

    public Task RevertAsync(VmKey vm, string name, RevertStart start, CancellationToken cancellationToken = default) =>
        Record($"Revert {name} {start}");

    public Task DeleteAsync(VmKey vm, string name, bool withChildren, CancellationToken cancellationToken = default) =>
        Record($"Delete {name} children={withChildren}");

    public Task SetDescriptionAsync(VmKey vm, string name, string? description, CancellationToken cancellationToken = default) =>
        Record($"Describe {name} '{description}'");

    private Task Record(string call)
    {
        if (Failure is not null)
            return Task.FromException(Failure);
        Calls.Enqueue(call);
        return Task.CompletedTask;
    }
}
