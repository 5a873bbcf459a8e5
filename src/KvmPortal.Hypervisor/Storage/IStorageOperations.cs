using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Hypervisor.Storage;

/// <summary>
/// Storage pool and volume operations on a host, like virt-manager's storage tab and <c>virsh pool-*</c>/<c>vol-*</c>.
/// Failures are <see cref="HypervisorException"/>s; invalid specs are reported as <see cref="SpecProblem"/>s.
/// </summary>
public interface IStorageOperations
{
    /// <summary>
    /// Every pool type the dashboard knows, with whether this host's libvirt supports it (from
    /// virConnectGetStoragePoolCapabilities) and why not.
    /// </summary>
    Task<IReadOnlyList<PoolTypeSupport>> GetPoolTypesAsync(Guid hostId, CancellationToken cancellationToken = default);

    /// <summary>The number of volumes of each active pool of the host (inactive pools are missing).</summary>
    Task<IReadOnlyDictionary<string, int>> CountVolumesAsync(Guid hostId, CancellationToken cancellationToken = default);

    /// <summary>Problems with the spec (including a taken name); empty when it can be defined.</summary>
    Task<IReadOnlyList<SpecProblem>> ValidatePoolAsync(Guid hostId, PoolSpec spec, CancellationToken cancellationToken = default);

    /// <summary>The pool XML that <see cref="DefinePoolAsync"/> would define, and whether it needs a build.</summary>
    PoolPlan PreviewPool(PoolSpec spec);

    /// <summary>Validates and defines the pool (persistent); then builds and starts it when asked.</summary>
    Task DefinePoolAsync(Guid hostId, PoolSpec spec, bool build, bool start, bool autostart, CancellationToken cancellationToken = default);

    Task BuildPoolAsync(Guid hostId, string pool, CancellationToken cancellationToken = default);
    Task StartPoolAsync(Guid hostId, string pool, CancellationToken cancellationToken = default);
    Task StopPoolAsync(Guid hostId, string pool, CancellationToken cancellationToken = default);
    Task RefreshPoolAsync(Guid hostId, string pool, CancellationToken cancellationToken = default);
    Task SetPoolAutostartAsync(Guid hostId, string pool, bool autostart, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the pool's volumes (refused when a defined VM uses one) and its underlying storage, then undefines
    /// it. With <paramref name="deleteStorage"/> false it only stops and undefines (data stays).
    /// </summary>
    Task DeletePoolAsync(Guid hostId, string pool, bool deleteStorage, CancellationToken cancellationToken = default);

    /// <summary>The pool's volumes with format, sizes, backing file and the VMs using each (domain XMLs read once).</summary>
    Task<IReadOnlyList<VolumeDetails>> ListVolumesAsync(Guid hostId, string pool, CancellationToken cancellationToken = default);

    /// <summary>The volumes of every active pool of the host, as <see cref="ListVolumesAsync"/> (domain XMLs read once for all).</summary>
    Task<IReadOnlyList<VolumeDetails>> ListHostVolumesAsync(Guid hostId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<SpecProblem>> ValidateVolumeAsync(Guid hostId, VolumeSpec spec, CancellationToken cancellationToken = default);

    Task CreateVolumeAsync(Guid hostId, VolumeSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Grows the volume; shrinking is refused unless <paramref name="allowShrink"/> (data past the end is lost).</summary>
    Task ResizeVolumeAsync(Guid hostId, string pool, string name, ulong newCapacityBytes, bool allowShrink, CancellationToken cancellationToken = default);

    /// <summary>Overwrites the volume with zeroes; refused while a defined VM uses it.</summary>
    Task WipeVolumeAsync(Guid hostId, string pool, string name, CancellationToken cancellationToken = default);

    /// <summary>Deletes the volume; refused while a defined VM uses it (naming the VMs) or another volume of the pool is its overlay.</summary>
    Task DeleteVolumeAsync(Guid hostId, string pool, string name, CancellationToken cancellationToken = default);

    /// <summary>Like <c>qemu-img info --backing-chain</c>, from libvirt's volume XML.</summary>
    Task<VolumeInformation> GetVolumeInfoAsync(Guid hostId, string pool, string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Copies/converts a volume (virStorageVolCreateXMLFrom). Progress is the new volume's allocation against the
    /// source's, sampled while libvirt copies; the copy is removed when it fails.
    /// </summary>
    Task CopyVolumeAsync(Guid hostId, VolumeCopySpec spec, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams <paramref name="lengthBytes"/> bytes from <paramref name="source"/> into a volume through a libvirt
    /// stream (works for remote hosts). A new volume is created (raw; libvirt detects ISO/qcow2 content on refresh);
    /// with <paramref name="overwrite"/> an existing unused volume is deleted and created anew. When the upload fails or is
    /// cancelled, the volume is deleted, so nothing half-written looks complete.
    /// </summary>
    Task UploadAsync(Guid hostId, string pool, string name, Stream source, ulong lengthBytes, bool overwrite,
        IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>The name and exact byte length that <see cref="DownloadAsync"/> will write.</summary>
    Task<VolumeDownload> PrepareDownloadAsync(Guid hostId, string pool, string name, CancellationToken cancellationToken = default);

    /// <summary>Streams the volume's bytes (its file as stored, e.g. qcow2) into <paramref name="destination"/> in chunks.</summary>
    Task DownloadAsync(Guid hostId, string pool, string name, Stream destination,
        IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default);
}
