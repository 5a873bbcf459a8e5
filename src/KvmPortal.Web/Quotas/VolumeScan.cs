using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Web.Quotas;

/// <summary>A volume of a host, as quotas identify it.</summary>
public readonly record struct VolumeKey(Guid HostId, string Pool, string Name);

/// <summary>
/// The volumes of hosts' active pools with the VMs using each, read through the ungated storage service once per pool
/// for one quota check or one page load (never kept longer: volumes change outside the portal). A host or pool that
/// cannot be read now counts as having no volumes: a quota check must not stop a team because another host is down.
/// </summary>
public sealed class VolumeScan(IStorageOperations storage, ILogger logger)
{
    private readonly Dictionary<Guid, IReadOnlyList<string>> pools = [];
    private readonly Dictionary<(Guid, string), IReadOnlyList<VolumeDetails>> volumes = [];

    /// <summary>Every volume of the host's active pools.</summary>
    public async Task<IReadOnlyList<(VolumeKey Key, VolumeDetails Volume)>> OfHostAsync(Guid hostId, CancellationToken cancellationToken)
    {
        if (!pools.TryGetValue(hostId, out var names))
        {
            names = await ReadAsync(hostId, "the pools", async () => (IReadOnlyList<string>)[.. (await storage.CountVolumesAsync(hostId, cancellationToken)).Keys]);
            pools[hostId] = names;
        }
        var all = new List<(VolumeKey, VolumeDetails)>();
        foreach (var pool in names)
            all.AddRange((await OfPoolAsync(hostId, pool, cancellationToken)).Select(v => (new VolumeKey(hostId, pool, v.Name), v)));
        return all;
    }

    /// <summary>The volume, or null when it is not there (or cannot be read now).</summary>
    public async Task<VolumeDetails?> FindAsync(Guid hostId, VolumeRef volume, CancellationToken cancellationToken) =>
        (await OfPoolAsync(hostId, volume.Pool, cancellationToken)).FirstOrDefault(v => v.Name == volume.Name);

    /// <summary>The capacity of the volume in bytes; 0 when it cannot be found (libvirt then refuses the operation anyway).</summary>
    public async Task<ulong> CapacityAsync(Guid hostId, VolumeRef volume, CancellationToken cancellationToken) =>
        (await FindAsync(hostId, volume, cancellationToken))?.CapacityBytes ?? 0;

    private async Task<IReadOnlyList<VolumeDetails>> OfPoolAsync(Guid hostId, string pool, CancellationToken cancellationToken)
    {
        if (!volumes.TryGetValue((hostId, pool), out var list))
        {
            list = await ReadAsync(hostId, $"pool {pool}", () => storage.ListVolumesAsync(hostId, pool, cancellationToken));
            volumes[(hostId, pool)] = list;
        }
        return list;
    }

    private async Task<IReadOnlyList<T>> ReadAsync<T>(Guid hostId, string what, Func<Task<IReadOnlyList<T>>> read)
    {
        try
        {
            return await read();
        }
        catch (HypervisorException e)
        {
            logger.LogInformation("Quota disk use: {What} of host {HostId} cannot be read ({Error}); not counted", what, hostId, e.Message);
            return [];
        }
    }
}
