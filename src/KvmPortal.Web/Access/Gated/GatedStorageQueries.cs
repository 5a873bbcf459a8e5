using KvmPortal.Hypervisor.Storage;

namespace KvmPortal.Web.Access.Gated;

/// <summary><see cref="IStorageQueries"/> behind the storage view permission.</summary>
internal sealed class GatedStorageQueries(IStorageQueries inner, OperationGate gate) : IStorageQueries
{
    public async Task<IReadOnlyList<StoragePoolSummary>> ListPoolsAsync(Guid hostId, CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.ViewStorage, AccessTarget.Host(hostId), cancellationToken);
        return await inner.ListPoolsAsync(hostId, cancellationToken);
    }

    public async Task<IReadOnlyList<StorageVolumeSummary>> ListVolumesAsync(Guid hostId, string pool, CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.ViewStorage, AccessTarget.Host(hostId), cancellationToken);
        return await inner.ListVolumesAsync(hostId, pool, cancellationToken);
    }
}
