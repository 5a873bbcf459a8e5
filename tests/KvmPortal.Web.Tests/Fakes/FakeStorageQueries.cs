using System.Collections.Concurrent;
using KvmPortal.Hypervisor.Storage;

namespace KvmPortal.Web.Tests.Fakes;

/// <summary>Pools and volumes the test sets up; records which pools' volumes were asked for.</summary>
public sealed class FakeStorageQueries : IStorageQueries
{
    public List<StoragePoolSummary> Pools { get; } = [];

    public Dictionary<string, List<StorageVolumeSummary>> Volumes { get; } = [];

    public ConcurrentQueue<string> VolumeRequests { get; } = new();

    public StoragePoolSummary AddPool(Guid hostId, string name, PoolState state = PoolState.Running)
    {
        var pool = new StoragePoolSummary(hostId, name, Guid.NewGuid(), "dir", $"/var/lib/libvirt/{name}", state,
            100UL << 30, 10UL << 30, 90UL << 30, true, true);
        Pools.Add(pool);
        Volumes[name] = [];
        return pool;
    }

    public void AddVolume(Guid hostId, string pool, string name, string format = "qcow2") =>
        Volumes[pool].Add(new StorageVolumeSummary(hostId, pool, name, $"/var/lib/libvirt/{pool}/{name}", format, 1UL << 30, 1UL << 20));

    /// <summary>When set, listing pools throws it (the host is unreachable, say).</summary>
    public Exception? Failure { get; set; }

    public Task<IReadOnlyList<StoragePoolSummary>> ListPoolsAsync(Guid hostId, CancellationToken cancellationToken = default) =>
        Failure is not null
            ? Task.FromException<IReadOnlyList<StoragePoolSummary>>(Failure)
            : Task.FromResult<IReadOnlyList<StoragePoolSummary>>(Pools.Where(p => p.HostId == hostId).ToList());

    public Task<IReadOnlyList<StorageVolumeSummary>> ListVolumesAsync(Guid hostId, string pool, CancellationToken cancellationToken = default)
    {
        VolumeRequests.Enqueue(pool);
        return Task.FromResult<IReadOnlyList<StorageVolumeSummary>>(Volumes.GetValueOrDefault(pool) ?? []);
    }
}
