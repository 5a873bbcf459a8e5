using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Hypervisor.Vms.Edit;

/// <summary>Where a change applies, like virsh's --live and --config.</summary>
[Flags]
public enum ChangeScope
{
    /// <summary>The running VM only; gone at the next cold boot.</summary>
    Live = 1,
    /// <summary>The persistent definition, used from the next start.</summary>
    Config = 2,
    Both = Live | Config,
}

/// <summary>What to remove along with the VM's definition.</summary>
public sealed record DeleteOptions(bool RemoveStorage = false, bool RemoveSnapshotsMetadata = true, bool RemoveNvram = true);

/// <summary>A disk that deleting the VM keeps, and why.</summary>
public sealed record KeptDisk(string Target, string? Source, string Reason);

/// <summary>Exactly what <see cref="IVmEditing.DeleteAsync"/> would remove (and keep) with the same options.</summary>
public sealed record DeletionPlan(
    string VmName,
    bool ForcesOff,
    IReadOnlyList<string> VolumePaths,
    IReadOnlyList<KeptDisk> KeptDisks,
    bool RemovesSnapshotsMetadata,
    string? NvramPath,
    bool RemovesManagedSave);

/// <summary>What was removed; volumes that could not be deleted are listed with libvirt's reason.</summary>
public sealed record DeletionResult(IReadOnlyList<string> RemovedVolumePaths, IReadOnlyList<string> FailedVolumes);

/// <summary>A CD-ROM's new media: a pool volume, a host path, or neither to eject.</summary>
public sealed record CdromMedia(VolumeRef? Volume = null, string? Path = null)
{
    public static CdromMedia Eject { get; } = new();
}
