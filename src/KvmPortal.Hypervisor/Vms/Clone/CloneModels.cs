using KvmPortal.Hypervisor.Storage;

namespace KvmPortal.Hypervisor.Vms.Clone;

/// <param name="Name">The clone's name: libvirt's rules, unique on the source's host.</param>
/// <param name="TargetPool">Where full copies go; null keeps each disk in its own pool. Not for linked clones.</param>
/// <param name="Linked">qcow2 overlays backed by the source's volumes instead of full copies.</param>
/// <param name="FromTemplate">A new VM made from a template: refused unless the source is marked as one.</param>
public sealed record CloneSpec(string Name, string? TargetPool = null, bool Linked = false, bool FromTemplate = false);

/// <summary>The copy of one disk: <paramref name="Disk"/> is its target (e.g. "vda"), numbered from 1 of <paramref name="DiskCount"/>.</summary>
public readonly record struct CloneProgress(string Disk, int DiskNumber, int DiskCount, TransferProgress Transfer);

/// <summary>A writable disk of the source and the volume the clone gets for it (sizes of the source's volume).</summary>
public sealed record ClonedDisk(string Target, string SourcePool, string SourceVolume, string SourcePath, string SourceFormat,
    ulong CapacityBytes, ulong AllocationBytes, string TargetPool, string TargetVolume);

/// <summary>What a clone needs from the source: its inactive XML, the disks to copy and its listening ports' new numbers.</summary>
public sealed record ClonePlan(string SourceName, string SourceXml, IReadOnlyList<ClonedDisk> Disks)
{
    /// <summary>Fixed TCP/UDP ports of the source's serial/console/channel devices mapped to the clone's free ones.</summary>
    public IReadOnlyDictionary<int, int> Ports { get; init; } = new Dictionary<int, int>();
}
