using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Hypervisor.Vms.Edit;

/// <summary>
/// Changes to an existing VM, like virsh's setvcpus, setmem, attach-disk, change-media, edit, undefine.
/// Failures raise <see cref="HypervisorException"/> with a user-facing message and libvirt's own text.
/// </summary>
public interface IVmEditing
{
    /// <summary>Sets the vCPU count (virsh setvcpus --live/--config), within the VM's maximum.</summary>
    Task SetVcpusAsync(VmKey vm, int count, ChangeScope scope, CancellationToken cancellationToken = default);

    /// <summary>Sets the memory (virsh setmem --live/--config): the balloon target when live, within the maximum.</summary>
    Task SetMemoryAsync(VmKey vm, ulong bytes, ChangeScope scope, CancellationToken cancellationToken = default);

    /// <summary>Attaches a disk, creating its volume first when it is new; returns the target (e.g. "vdb").</summary>
    Task<string> AttachDiskAsync(VmKey vm, DiskSpec disk, ChangeScope scope, CancellationToken cancellationToken = default);

    /// <summary>Detaches the disk with the given target. Live detaching waits for the guest to release the device.</summary>
    Task DetachDiskAsync(VmKey vm, string target, ChangeScope scope, CancellationToken cancellationToken = default);

    /// <summary>Attaches a NIC; returns its MAC address.</summary>
    Task<string> AttachNicAsync(VmKey vm, NicSpec nic, ChangeScope scope, CancellationToken cancellationToken = default);

    /// <summary>Detaches the NIC with the given MAC address.</summary>
    Task DetachNicAsync(VmKey vm, string mac, ChangeScope scope, CancellationToken cancellationToken = default);

    /// <summary>Inserts media into, or ejects it from, the CD-ROM with the given target.</summary>
    Task ChangeMediaAsync(VmKey vm, string target, CdromMedia media, ChangeScope scope, CancellationToken cancellationToken = default);

    /// <summary>Sets the boot order and boot menu of the persistent definition.</summary>
    Task SetBootOrderAsync(VmKey vm, IReadOnlyList<BootDevice> order, bool bootMenu, CancellationToken cancellationToken = default);

    Task SetAutostartAsync(VmKey vm, bool enabled, CancellationToken cancellationToken = default);

    /// <summary>Sets title and description (null or empty removes them), live and in the definition.</summary>
    Task SetTitleAndDescriptionAsync(VmKey vm, string? title, string? description, CancellationToken cancellationToken = default);

    /// <summary>Renames a shut-off VM.</summary>
    Task RenameAsync(VmKey vm, string newName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the persistent definition with edited XML (validated against libvirt's schema). The UUID must stay
    /// the VM's. When libvirt refuses, the exception's <see cref="HypervisorException.LibvirtMessage"/> is its error.
    /// </summary>
    Task ReplaceXmlAsync(VmKey vm, string xml, CancellationToken cancellationToken = default);

    /// <summary>The persistent (inactive) XML, the text to edit.</summary>
    Task<string> GetPersistentXmlAsync(VmKey vm, CancellationToken cancellationToken = default);

    Task<DeletionPlan> DescribeDeletionAsync(VmKey vm, DeleteOptions options, CancellationToken cancellationToken = default);

    /// <summary>Forces the VM off if it runs, undefines it and removes what <see cref="DescribeDeletionAsync"/> lists.</summary>
    Task<DeletionResult> DeleteAsync(VmKey vm, DeleteOptions options, CancellationToken cancellationToken = default);

    /// <summary>Saves the running VM's state and stops it (virsh managedsave); the next start restores it.</summary>
    Task ManagedSaveAsync(VmKey vm, CancellationToken cancellationToken = default);

    Task RemoveManagedSaveAsync(VmKey vm, CancellationToken cancellationToken = default);

    /// <summary>Starts the VM (restoring a managed save if there is one), optionally paused.</summary>
    Task StartAsync(VmKey vm, bool paused, CancellationToken cancellationToken = default);
}
