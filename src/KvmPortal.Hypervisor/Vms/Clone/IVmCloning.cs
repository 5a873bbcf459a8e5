namespace KvmPortal.Hypervisor.Vms.Clone;

/// <summary>Clones a shut-off VM on its own host, like virt-clone.</summary>
public interface IVmCloning
{
    /// <summary>
    /// Checks the request against the source (shut off, every writable disk a pool volume, linkable when linked) and
    /// says which volumes the clone would get, without making anything.
    /// </summary>
    Task<ClonePlan> PlanAsync(VmKey source, CloneSpec spec, CancellationToken cancellationToken = default);

    /// <summary>
    /// Copies every writable pool volume of the shut-off <paramref name="source"/> (or, linked, makes a qcow2 overlay
    /// backed by it) and defines the clone with a new name, UUID and MAC addresses. Read-only disks and CD-ROMs are
    /// shared. On any failure (or cancellation) everything made so far is removed and a
    /// <see cref="HypervisorException"/> says what failed.
    /// </summary>
    /// <returns>The new VM.</returns>
    Task<VmKey> CloneAsync(VmKey source, CloneSpec spec, IProgress<CloneProgress>? progress = null, CancellationToken cancellationToken = default);
}
