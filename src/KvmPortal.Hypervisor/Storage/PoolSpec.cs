namespace KvmPortal.Hypervisor.Storage;

/// <summary>The pool types the dashboard can create, as libvirt names them (lower case).</summary>
public enum PoolType { Dir, Fs, Netfs, Logical, Disk, Iscsi, Rbd, Gluster }

/// <summary>
/// A storage pool to define. Which fields a type uses:
/// dir: <see cref="TargetPath"/>.
/// fs: <see cref="SourceDevice"/> (a pre-formatted block device), <see cref="SourceFormat"/> (e.g. ext4; "auto" when empty), <see cref="TargetPath"/> (mount point).
/// netfs: <see cref="SourceHost"/>, <see cref="SourcePath"/> (the export), <see cref="SourceFormat"/> (nfs by default), <see cref="TargetPath"/>.
/// logical: <see cref="SourceName"/> (the volume group), optional <see cref="SourceDevice"/> (a physical volume to build it on).
/// disk: <see cref="SourceDevice"/> (the whole disk), <see cref="SourceFormat"/> (partition table, e.g. gpt or dos), <see cref="TargetPath"/> (/dev).
/// iscsi: <see cref="SourceHost"/> (portal), <see cref="SourcePath"/> (target IQN), <see cref="TargetPath"/> (/dev/disk/by-path).
/// rbd: <see cref="Monitors"/> (Ceph monitors), <see cref="SourceName"/> (the Ceph pool), optional <see cref="AuthUser"/> with <see cref="AuthSecretUuid"/>.
/// gluster: <see cref="SourceHost"/>, <see cref="SourceName"/> (the Gluster volume), optional <see cref="SourcePath"/> (a directory in it).
/// </summary>
public sealed record PoolSpec
{
    public required string Name { get; init; }
    public PoolType Type { get; init; } = PoolType.Dir;
    public string? TargetPath { get; init; }
    public string? SourceDevice { get; init; }
    public string? SourceHost { get; init; }
    public string? SourcePath { get; init; }
    public string? SourceName { get; init; }
    public string? SourceFormat { get; init; }
    public IReadOnlyList<string> Monitors { get; init; } = [];
    public string? AuthUser { get; init; }
    public Guid? AuthSecretUuid { get; init; }
}

/// <summary>Whether this host's libvirt can manage a pool type; <see cref="Reason"/> says why not.</summary>
public sealed record PoolTypeSupport(PoolType Type, bool Supported, string? Reason);

/// <summary>What the pool needs done after it is defined, shown with the XML before defining.</summary>
public sealed record PoolPlan(string Xml, bool NeedsBuild);

/// <summary>The state of a pool operation a page shows while it runs.</summary>
public static class PoolTypes
{
    public static string LibvirtName(PoolType type) => type.ToString().ToLowerInvariant();

    public static PoolType? Parse(string? libvirtName) =>
        Enum.TryParse<PoolType>(libvirtName, ignoreCase: true, out var type) ? type : null;

    /// <summary>Types whose storage is made by virStoragePoolBuild before the first start.</summary>
    public static bool NeedsBuild(PoolSpec spec) => spec.Type switch
    {
        PoolType.Dir => true,
        PoolType.Fs or PoolType.Netfs => true, // creates the mount point
        PoolType.Logical => !string.IsNullOrEmpty(spec.SourceDevice), // vgcreate on the given device
        PoolType.Disk => true, // writes the partition table when there is none
        _ => false,
    };
}
