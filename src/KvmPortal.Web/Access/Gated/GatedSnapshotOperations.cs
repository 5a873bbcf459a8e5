using KvmPortal.Hypervisor.Snapshots;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Quotas;

namespace KvmPortal.Web.Access.Gated;

/// <summary>
/// <see cref="ISnapshotOperations"/> through the gate: listing needs the view permission; taking, reverting,
/// deleting and describing need the snapshot permission and are audited. A revert is checked against the team's quota
/// for the vCPUs and memory it brings back and, for a running-only quota, for starting the VM.
/// </summary>
internal sealed class GatedSnapshotOperations(ISnapshotOperations inner, OperationGate gate, AuditTargets targets, QuotaGuard quotas)
    : ISnapshotOperations
{
    public async Task<IReadOnlyList<SnapshotInfo>> ListAsync(VmKey vm, CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.ViewVm, AccessTarget.Of(vm), cancellationToken);
        return await inner.ListAsync(vm, cancellationToken);
    }

    public Task<string> CreateAsync(VmKey vm, SnapshotSpec spec, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Operation(vm, "vm.snapshot.create", spec), () => inner.CreateAsync(vm, spec, progress, cancellationToken), cancellationToken);

    public Task RevertAsync(VmKey vm, string name, RevertStart start, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Operation(vm, "vm.snapshot.revert", new { name, start }) with { Admit = ct => AdmitRevertAsync(vm, name, start, ct) },
            () => inner.RevertAsync(vm, name, start, cancellationToken), cancellationToken);

    public Task DeleteAsync(VmKey vm, string name, bool withChildren, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Operation(vm, "vm.snapshot.delete", new { name, withChildren }), () => inner.DeleteAsync(vm, name, withChildren, cancellationToken), cancellationToken);

    public Task SetDescriptionAsync(VmKey vm, string name, string? description, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Operation(vm, "vm.snapshot.describe", new { name, description }),
            () => inner.SetDescriptionAsync(vm, name, description, cancellationToken), cancellationToken);

    /// <summary>
    /// The VM gets the snapshot's vCPUs and memory back, and runs after the revert when asked to, or when the snapshot
    /// saved a running (or paused) VM's memory.
    /// </summary>
    private async Task AdmitRevertAsync(VmKey vm, string name, RevertStart start, CancellationToken cancellationToken)
    {
        // A snapshot that is not there: libvirt refuses the revert itself.
        if ((await inner.ListAsync(vm, cancellationToken)).FirstOrDefault(s => s.Name == name) is not { } snapshot)
            return;
        var runsAfter = start != RevertStart.AsSaved || snapshot is { IncludesMemory: true, State: "running" or "paused" };
        await quotas.EnsureRevertAsync(vm, snapshot, runsAfter, cancellationToken);
    }

    private GatedOperation Operation(VmKey vm, string auditAction, object parameters) =>
        new(PortalAction.SnapshotVm, auditAction, AccessTarget.Of(vm), targets.Vm(vm), parameters);
}
