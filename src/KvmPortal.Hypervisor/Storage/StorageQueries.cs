using System.Xml.Linq;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Storage;

internal sealed class StorageQueries(HostManager hosts) : IStorageQueries
{
    public Task<IReadOnlyList<StoragePoolSummary>> ListPoolsAsync(Guid hostId, CancellationToken cancellationToken = default)
    {
        var session = HostCalls.Session(hosts, hostId);
        return HostCalls.CallAsync<IReadOnlyList<StoragePoolSummary>>(session, new HostCall("storage.list-pools", "List storage pools"), connection =>
        {
            var pools = connection.ListAllStoragePools();
            try
            {
                return pools.Select(pool => Summarize(hostId, pool)).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
            }
            finally
            {
                foreach (var pool in pools) pool.Dispose();
            }
        }, cancellationToken);
    }

    public Task<IReadOnlyList<StorageVolumeSummary>> ListVolumesAsync(Guid hostId, string pool, CancellationToken cancellationToken = default)
    {
        var session = HostCalls.Session(hosts, hostId);
        return HostCalls.CallAsync<IReadOnlyList<StorageVolumeSummary>>(session, new HostCall("storage.list-volumes", $"List the volumes of pool {pool}"), connection =>
        {
            using var storagePool = connection.LookupStoragePoolByName(pool);
            if (!storagePool.IsActive) throw HypervisorException.Because(HypervisorErrorKind.PoolInactive, $"Storage pool {pool} is not active; start it to see its volumes.", pool);
            var volumes = storagePool.ListAllVolumes();
            try
            {
                return volumes.Select(v => Summarize(hostId, pool, v)).OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
            }
            finally
            {
                foreach (var volume in volumes) volume.Dispose();
            }
        }, cancellationToken);
    }

    internal static StorageVolumeSummary Summarize(Guid hostId, string pool, StorageVolume volume)
    {
        var info = volume.GetInfo();
        return new StorageVolumeSummary(hostId, pool, volume.Name, volume.GetPath(), FormatOf(volume), info.CapacityBytes, info.AllocationBytes);
    }

    /// <summary>The volume's format as libvirt reports it ("raw", "qcow2", "iso", ...).</summary>
    internal static string? FormatOf(StorageVolume volume) =>
        (string?)XElement.Parse(volume.GetXmlDescription()).Element("target")?.Element("format")?.Attribute("type");

    private static StoragePoolSummary Summarize(Guid hostId, StoragePool pool)
    {
        var info = pool.GetInfo();
        var xml = XElement.Parse(pool.GetXmlDescription());
        return new StoragePoolSummary(hostId, pool.Name, pool.Uuid, (string?)xml.Attribute("type") ?? "",
            (string?)xml.Element("target")?.Element("path"), (PoolState)info.State,
            info.CapacityBytes, info.AllocationBytes, info.AvailableBytes, pool.GetAutostart(), pool.IsPersistent);
    }
}
