namespace KvmPortal.Hypervisor.Storage;

/// <summary>Reads the storage pools and volumes of a host, e.g. for the new-VM wizard's pickers.</summary>
public interface IStorageQueries
{
    Task<IReadOnlyList<StoragePoolSummary>> ListPoolsAsync(Guid hostId, CancellationToken cancellationToken = default);

    /// <summary>The volumes of an active pool; an inactive pool gives a clear error.</summary>
    Task<IReadOnlyList<StorageVolumeSummary>> ListVolumesAsync(Guid hostId, string pool, CancellationToken cancellationToken = default);
}
