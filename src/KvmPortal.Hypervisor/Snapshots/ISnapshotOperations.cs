using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Hypervisor.Snapshots;

/// <summary>A VM's snapshots. Failures raise <see cref="HypervisorException"/> with a user-facing message.</summary>
public interface ISnapshotOperations
{
    /// <summary>Every snapshot, parents before their children.</summary>
    Task<IReadOnlyList<SnapshotInfo>> ListAsync(VmKey vm, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes a snapshot; returns its name. Refuses before libvirt when the disks do not allow the kind. While libvirt
    /// saves a running VM's memory, <paramref name="progress"/> gets its job statistics (virDomainGetJobInfo), and
    /// cancelling asks libvirt to abort the job (virDomainAbortJob), which it does where the hypervisor can.
    /// </summary>
    Task<string> CreateAsync(VmKey vm, SnapshotSpec spec, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Reverts the VM's disks (and memory, when saved) to the snapshot; what the VM had since is lost.</summary>
    Task RevertAsync(VmKey vm, string name, RevertStart start, CancellationToken cancellationToken = default);

    Task DeleteAsync(VmKey vm, string name, bool withChildren, CancellationToken cancellationToken = default);

    Task SetDescriptionAsync(VmKey vm, string name, string? description, CancellationToken cancellationToken = default);
}
