using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Web.Quotas;

/// <summary>A volume of a host, as quotas identify it.</summary>
public readonly record struct VolumeKey(Guid HostId, string Pool, string Name);

/// <summary>
/// The volumes of hosts' active pools with the VMs using each, read through the ungated storage service in one call per
/// host for one quota check or one page load (never kept longer: volumes change outside the portal). A host that
/// cannot be read now counts as having no volumes: a quota check must not stop a team because another host is down.
/// </summary>
public sealed class VolumeScan(IStorageOperations storage, ILogger logger)
{
    private readonly Dictionary<Guid, IReadOnlyList<VolumeDetails>> hosts = [];

    /// <summary>Every volume of the host's active pools.</summary>
    public async Task<IReadOnlyList<(VolumeKey Key, VolumeDetails Volume)>> OfHostAsync(Guid hostId, CancellationToken cancellationToken) =>
        [.. (await VolumesAsync(hostId, cancellationToken)).Select(v => (new VolumeKey(hostId, v.Pool, v.Name), v))];

    /// <summary>The volume, or null when it is not there (or cannot be read now).</summary>
    public async Task<VolumeDetails?> FindAsync(Guid hostId, VolumeRef volume, CancellationToken cancellationToken) =>
        (await VolumesAsync(hostId, cancellationToken)).FirstOrDefault(v => v.Pool == volume.Pool && v.Name == volume.Name);

    /// <summary>The capacity of the volume in bytes; 0 when it cannot be found (libvirt then refuses the operation anyway).</summary>
    public async Task<ulong> CapacityAsync(Guid hostId, VolumeRef volume, CancellationToken cancellationToken) =>
        (await FindAsync(hostId, volume, cancellationToken))?.CapacityBytes ?? 0;

    private async Task<IReadOnlyList<VolumeDetails>> VolumesAsync(Guid hostId, CancellationToken cancellationToken)
    {
        if (hosts.TryGetValue(hostId, out var list))
            return list;
        try
        {
            list = await storage.ListHostVolumesAsync(hostId, cancellationToken);
        }
        catch (HypervisorException e)
        {
            logger.LogInformation("Quota disk use: the volumes of host {HostId} cannot be read ({Error}); not counted", hostId, e.Message);
            list = [];
        }
        hosts[hostId] = list;
        return list;
    }
}
