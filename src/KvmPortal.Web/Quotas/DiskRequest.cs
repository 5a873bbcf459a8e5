using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Web.Quotas;

/// <summary>
/// How many bytes of disk a new VM, an attached disk or an edited definition adds to its team: new volumes' sizes (an overlay without a size
/// gets its backing volume's), existing volumes' capacity unless the team counts them already; CD-ROMs and host paths
/// outside pools add nothing.
/// </summary>
public sealed class DiskRequest(Guid hostId, TeamUse use, VolumeScan scan)
{
    public async Task<ulong> OfAsync(DomainSpec spec, CancellationToken cancellationToken)
    {
        var bytes = spec.Install switch
        {
            ImportDiskSource import => await ExistingAsync(import.Volume, cancellationToken),
            LinkedCloneSource clone => clone.SizeBytes ?? await scan.CapacityAsync(hostId, clone.Template, cancellationToken),
            _ => 0UL,
        };
        foreach (var disk in spec.Disks)
            bytes += await OfAsync(disk, cancellationToken);
        return bytes;
    }

    public async Task<ulong> OfAsync(DiskSpec disk, CancellationToken cancellationToken) => disk switch
    {
        { Device: DiskDevice.Cdrom } => 0,
        { NewVolume: { SizeBytes: 0, BackingVolume: { } backing } } => await scan.CapacityAsync(hostId, backing, cancellationToken),
        { NewVolume: { } volume } => volume.SizeBytes,
        { ExistingVolume: { } volume } => await ExistingAsync(volume, cancellationToken),
        _ => 0,
    };

    /// <summary>The disks of an edited definition: each pool volume the team does not count yet, once.</summary>
    public async Task<ulong> OfAsync(IReadOnlyList<XmlDiskSource> disks, CancellationToken cancellationToken) =>
        (await scan.OfHostAsync(hostId, cancellationToken))
            .Where(v => disks.Any(disk => Names(disk, v.Volume)) && !use.Volumes.Contains(v.Key) && !IsoImages.Is(v.Volume.Name, v.Volume.Format))
            .Aggregate(0UL, (sum, v) => sum + v.Volume.CapacityBytes);

    private static bool Names(XmlDiskSource disk, VolumeDetails volume) => disk.Volume is { } named
        ? volume.Pool == named.Pool && volume.Name == named.Name
        : volume.Path == disk.Path;

    private async Task<ulong> ExistingAsync(VolumeRef volume, CancellationToken cancellationToken)
    {
        if (use.Volumes.Contains(new VolumeKey(hostId, volume.Pool, volume.Name)))
            return 0;
        var found = await scan.FindAsync(hostId, volume, cancellationToken);
        return found is null || IsoImages.Is(found.Name, found.Format) ? 0 : found.CapacityBytes;
    }
}
