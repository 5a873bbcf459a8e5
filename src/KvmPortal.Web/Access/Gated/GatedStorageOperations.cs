using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Web.Quotas;

namespace KvmPortal.Web.Access.Gated;

/// <summary>
/// <see cref="IStorageOperations"/> through the gate: listing needs the storage view, every change and both
/// transfers (a download copies a whole disk out) the storage management permission; changes are audited. Growing a
/// volume that a team's VM uses must fit the team's disk quota.
/// </summary>
internal sealed class GatedStorageOperations(IStorageOperations inner, OperationGate gate, AuditTargets targets, QuotaGuard quotas) : IStorageOperations
{
    public async Task<IReadOnlyList<PoolTypeSupport>> GetPoolTypesAsync(Guid hostId, CancellationToken cancellationToken = default)
    {
        await ViewAsync(hostId, cancellationToken);
        return await inner.GetPoolTypesAsync(hostId, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, int>> CountVolumesAsync(Guid hostId, CancellationToken cancellationToken = default)
    {
        await ViewAsync(hostId, cancellationToken);
        return await inner.CountVolumesAsync(hostId, cancellationToken);
    }

    public async Task<IReadOnlyList<SpecProblem>> ValidatePoolAsync(Guid hostId, PoolSpec spec, CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.ManageStorage, AccessTarget.Host(hostId), cancellationToken);
        return await inner.ValidatePoolAsync(hostId, spec, cancellationToken);
    }

    public PoolPlan PreviewPool(PoolSpec spec) => inner.PreviewPool(spec);

    public Task DefinePoolAsync(Guid hostId, PoolSpec spec, bool build, bool start, bool autostart, CancellationToken cancellationToken = default) =>
        ChangeAsync(hostId, spec.Name, null, "storage.pool.define", new { spec, build, start, autostart },
            () => inner.DefinePoolAsync(hostId, spec, build, start, autostart, cancellationToken), cancellationToken);

    public Task BuildPoolAsync(Guid hostId, string pool, CancellationToken cancellationToken = default) =>
        ChangeAsync(hostId, pool, null, "storage.pool.build", null, () => inner.BuildPoolAsync(hostId, pool, cancellationToken), cancellationToken);

    public Task StartPoolAsync(Guid hostId, string pool, CancellationToken cancellationToken = default) =>
        ChangeAsync(hostId, pool, null, "storage.pool.start", null, () => inner.StartPoolAsync(hostId, pool, cancellationToken), cancellationToken);

    public Task StopPoolAsync(Guid hostId, string pool, CancellationToken cancellationToken = default) =>
        ChangeAsync(hostId, pool, null, "storage.pool.stop", null, () => inner.StopPoolAsync(hostId, pool, cancellationToken), cancellationToken);

    public Task RefreshPoolAsync(Guid hostId, string pool, CancellationToken cancellationToken = default) =>
        ChangeAsync(hostId, pool, null, "storage.pool.refresh", null, () => inner.RefreshPoolAsync(hostId, pool, cancellationToken), cancellationToken);

    public Task SetPoolAutostartAsync(Guid hostId, string pool, bool autostart, CancellationToken cancellationToken = default) =>
        ChangeAsync(hostId, pool, null, "storage.pool.autostart", new { autostart },
            () => inner.SetPoolAutostartAsync(hostId, pool, autostart, cancellationToken), cancellationToken);

    public Task DeletePoolAsync(Guid hostId, string pool, bool deleteStorage, CancellationToken cancellationToken = default) =>
        ChangeAsync(hostId, pool, null, "storage.pool.delete", new { deleteStorage },
            () => inner.DeletePoolAsync(hostId, pool, deleteStorage, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<VolumeDetails>> ListVolumesAsync(Guid hostId, string pool, CancellationToken cancellationToken = default)
    {
        await ViewAsync(hostId, cancellationToken);
        return await inner.ListVolumesAsync(hostId, pool, cancellationToken);
    }

    public async Task<IReadOnlyList<VolumeDetails>> ListHostVolumesAsync(Guid hostId, CancellationToken cancellationToken = default)
    {
        await ViewAsync(hostId, cancellationToken);
        return await inner.ListHostVolumesAsync(hostId, cancellationToken);
    }

    public async Task<IReadOnlyList<SpecProblem>> ValidateVolumeAsync(Guid hostId, VolumeSpec spec, CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.ManageStorage, AccessTarget.Host(hostId), cancellationToken);
        return await inner.ValidateVolumeAsync(hostId, spec, cancellationToken);
    }

    public Task CreateVolumeAsync(Guid hostId, VolumeSpec spec, CancellationToken cancellationToken = default) =>
        ChangeAsync(hostId, spec.Pool, spec.Name, "storage.volume.create", spec,
            () => inner.CreateVolumeAsync(hostId, spec, cancellationToken), cancellationToken);

    public Task ResizeVolumeAsync(Guid hostId, string pool, string name, ulong newCapacityBytes, bool allowShrink, CancellationToken cancellationToken = default) =>
        ChangeAsync(hostId, pool, name, "storage.volume.resize", new { newCapacityBytes, allowShrink },
            () => inner.ResizeVolumeAsync(hostId, pool, name, newCapacityBytes, allowShrink, cancellationToken), cancellationToken,
            ct => quotas.EnsureResizeAsync(hostId, pool, name, newCapacityBytes, ct));

    public Task WipeVolumeAsync(Guid hostId, string pool, string name, CancellationToken cancellationToken = default) =>
        ChangeAsync(hostId, pool, name, "storage.volume.wipe", null, () => inner.WipeVolumeAsync(hostId, pool, name, cancellationToken), cancellationToken);

    public Task DeleteVolumeAsync(Guid hostId, string pool, string name, CancellationToken cancellationToken = default) =>
        ChangeAsync(hostId, pool, name, "storage.volume.delete", null, () => inner.DeleteVolumeAsync(hostId, pool, name, cancellationToken), cancellationToken);

    public async Task<VolumeInformation> GetVolumeInfoAsync(Guid hostId, string pool, string name, CancellationToken cancellationToken = default)
    {
        await ViewAsync(hostId, cancellationToken);
        return await inner.GetVolumeInfoAsync(hostId, pool, name, cancellationToken);
    }

    public Task CopyVolumeAsync(Guid hostId, VolumeCopySpec spec, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(hostId, spec.TargetPool, spec.TargetName, "storage.volume.copy", spec,
            () => inner.CopyVolumeAsync(hostId, spec, progress, cancellationToken), cancellationToken);

    public Task UploadAsync(Guid hostId, string pool, string name, Stream source, ulong lengthBytes, bool overwrite,
        IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(hostId, pool, name, "storage.volume.upload", new { lengthBytes, overwrite },
            () => inner.UploadAsync(hostId, pool, name, source, lengthBytes, overwrite, progress, cancellationToken), cancellationToken);

    public async Task<VolumeDownload> PrepareDownloadAsync(Guid hostId, string pool, string name, CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.ManageStorage, AccessTarget.Host(hostId), cancellationToken);
        return await inner.PrepareDownloadAsync(hostId, pool, name, cancellationToken);
    }

    public Task DownloadAsync(Guid hostId, string pool, string name, Stream destination,
        IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(hostId, pool, name, "storage.volume.download", null,
            () => inner.DownloadAsync(hostId, pool, name, destination, progress, cancellationToken), cancellationToken);

    private Task ViewAsync(Guid hostId, CancellationToken cancellationToken) =>
        gate.DemandAsync(PortalAction.ViewStorage, AccessTarget.Host(hostId), cancellationToken);

    private Task ChangeAsync(Guid hostId, string pool, string? volume, string action, object? parameters, Func<Task> run,
        CancellationToken cancellationToken, Func<CancellationToken, Task>? admit = null) =>
        gate.RunAsync(new GatedOperation(PortalAction.ManageStorage, action, AccessTarget.Host(hostId),
            targets.Storage(hostId, pool, volume), parameters, Admit: admit), run, cancellationToken);
}
