using KvmPortal.Hypervisor.Storage;

namespace KvmPortal.Web.Components.Pages.Vms.Create;

/// <summary>
/// The storage pools of one host and their volumes, each pool's volumes read once, for the volume pickers.
/// Failures raise <see cref="KvmPortal.Hypervisor.HypervisorException"/>; the caller words them.
/// </summary>
public sealed class HostStorageCatalog(IStorageQueries storage)
{
    private readonly Dictionary<string, IReadOnlyList<StorageVolumeSummary>> volumes = [];

    public Guid? HostId { get; private set; }

    public static bool IsIso(StorageVolumeSummary volume) => IsoImages.Is(volume.Name, volume.Format);

    public IReadOnlyList<StoragePoolSummary> Pools { get; private set; } = [];

    /// <summary>The pool to start on: "default" when it runs, else the first running one.</summary>
    public StoragePoolSummary? DefaultPool =>
        Pools.FirstOrDefault(p => p.Name == "default" && p.State == PoolState.Running)
        ?? Pools.FirstOrDefault(p => p.State == PoolState.Running);

    /// <summary>Forgets the previous host's pools and volumes.</summary>
    public void Clear(Guid hostId)
    {
        HostId = hostId;
        Pools = [];
        volumes.Clear();
    }

    public async Task LoadPoolsAsync(Guid hostId, CancellationToken cancellationToken = default)
    {
        Clear(hostId);
        Pools = await storage.ListPoolsAsync(hostId, cancellationToken);
    }

    /// <summary>The volumes of a pool of the host; none before a host is chosen or without a pool.</summary>
    public async Task<IReadOnlyList<StorageVolumeSummary>> VolumesAsync(string pool, CancellationToken cancellationToken = default)
    {
        if (HostId is not { } hostId || pool.Length == 0)
            return [];
        if (volumes.TryGetValue(pool, out var known))
            return known;
        var list = await storage.ListVolumesAsync(hostId, pool, cancellationToken);
        volumes[pool] = list;
        return list;
    }
}
