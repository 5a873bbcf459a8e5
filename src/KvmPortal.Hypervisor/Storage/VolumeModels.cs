using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Hypervisor.Storage;

/// <summary>
/// A volume to create in a pool, like <c>qemu-img create</c>: <see cref="BackingVolume"/> (in the same host) makes it
/// a copy-on-write qcow2 overlay; without a size it gets the backing volume's.
/// </summary>
public sealed record VolumeSpec(
    string Pool,
    string Name,
    ulong SizeBytes,
    VolumeFormat Format = VolumeFormat.Qcow2,
    Preallocation Preallocation = Preallocation.Off,
    VolumeRef? BackingVolume = null);

/// <summary>A VM whose definition uses a volume (by path).</summary>
public sealed record VolumeUser(string VmName, Guid VmUuid, bool Running);

/// <summary>One volume of a pool with what uses it. Sizes in bytes.</summary>
public sealed record VolumeDetails(
    string Pool,
    string Name,
    string Path,
    string? Format,
    ulong CapacityBytes,
    ulong AllocationBytes,
    string? BackingPath,
    IReadOnlyList<VolumeUser> UsedBy);

/// <summary>One image of a backing chain, top first (like <c>qemu-img info --backing-chain</c>).</summary>
public sealed record BackingImage(string Path, string? Format);

/// <summary>Like <c>qemu-img info</c>: what libvirt knows about the volume.</summary>
public sealed record VolumeInformation(
    string Pool,
    string Name,
    string Path,
    string? Format,
    ulong CapacityBytes,
    ulong AllocationBytes,
    ulong? PhysicalBytes,
    IReadOnlyList<BackingImage> BackingChain);

/// <summary>Copy a volume, optionally into another pool or format (virStorageVolCreateXMLFrom).</summary>
public sealed record VolumeCopySpec(
    string SourcePool,
    string SourceName,
    string TargetPool,
    string TargetName,
    VolumeFormat? Format = null);

/// <summary>Progress of a long transfer: bytes done of the total (null when libvirt cannot tell).</summary>
public readonly record struct TransferProgress(ulong DoneBytes, ulong? TotalBytes)
{
    public double? Fraction => TotalBytes is > 0 ? Math.Min(1.0, (double)DoneBytes / TotalBytes.Value) : null;
}

/// <summary>A volume download about to be streamed: its name and exact length.</summary>
public sealed record VolumeDownload(string Name, ulong LengthBytes);
