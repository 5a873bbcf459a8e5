using System.Collections.Concurrent;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms.Create;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace KvmPortal.Web.Tests.Fakes;

/// <summary>Storage operations that answer from lists the test sets and record what the page asked for.</summary>
public sealed class FakeStorage : IStorageOperations, IStorageQueries
{
    public List<StoragePoolSummary> Pools { get; } = [];
    public List<VolumeDetails> Volumes { get; } = [];
    public List<PoolTypeSupport> Types { get; } = [.. Enum.GetValues<PoolType>().Select(t => new PoolTypeSupport(t, true, null))];
    public ConcurrentQueue<string> Calls { get; } = new();
    public PoolSpec? DefinedPool { get; private set; }
    public HypervisorException? NextError { get; set; }

    private Task Record(string call)
    {
        Calls.Enqueue(call);
        if (NextError is { } error)
        {
            NextError = null;
            return Task.FromException(error);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StoragePoolSummary>> ListPoolsAsync(Guid hostId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<StoragePoolSummary>>(Pools.ToList());

    Task<IReadOnlyList<StorageVolumeSummary>> IStorageQueries.ListVolumesAsync(Guid hostId, string pool, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StorageVolumeSummary>>([]);

    public Task<IReadOnlyList<PoolTypeSupport>> GetPoolTypesAsync(Guid hostId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<PoolTypeSupport>>(Types.ToList());

    public Task<IReadOnlyDictionary<string, int>> CountVolumesAsync(Guid hostId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<string, int>>(Pools.ToDictionary(p => p.Name, p => Volumes.Count(v => v.Pool == p.Name)));

    public Task<IReadOnlyList<SpecProblem>> ValidatePoolAsync(Guid hostId, PoolSpec spec, CancellationToken cancellationToken = default) =>
        Task.FromResult(PoolSpecValidator.Validate(spec, Pools.Select(p => p.Name).ToList()));

    public PoolPlan PreviewPool(PoolSpec spec) => new(PoolXmlBuilder.Build(spec), PoolTypes.NeedsBuild(spec));

    public Task DefinePoolAsync(Guid hostId, PoolSpec spec, bool build, bool start, bool autostart, CancellationToken cancellationToken = default)
    {
        DefinedPool = spec;
        return Record($"define {spec.Name} build={build} start={start} autostart={autostart}");
    }

    public Task BuildPoolAsync(Guid hostId, string pool, CancellationToken cancellationToken = default) => Record($"build {pool}");
    public Task StartPoolAsync(Guid hostId, string pool, CancellationToken cancellationToken = default) => Record($"start {pool}");
    public Task StopPoolAsync(Guid hostId, string pool, CancellationToken cancellationToken = default) => Record($"stop {pool}");
    public Task RefreshPoolAsync(Guid hostId, string pool, CancellationToken cancellationToken = default) => Record($"refresh {pool}");
    public Task SetPoolAutostartAsync(Guid hostId, string pool, bool autostart, CancellationToken cancellationToken = default) => Record($"autostart {pool} {autostart}");
    public Task DeletePoolAsync(Guid hostId, string pool, bool deleteStorage, CancellationToken cancellationToken = default) => Record($"delete-pool {pool} {deleteStorage}");

    public Task<IReadOnlyList<VolumeDetails>> ListVolumesAsync(Guid hostId, string pool, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<VolumeDetails>>(Volumes.Where(v => v.Pool == pool).ToList());

    public Task<IReadOnlyList<VolumeDetails>> ListHostVolumesAsync(Guid hostId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<VolumeDetails>>(Volumes.ToList());

    public Task<IReadOnlyList<SpecProblem>> ValidateVolumeAsync(Guid hostId, VolumeSpec spec, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<SpecProblem>>([]);

    public Task CreateVolumeAsync(Guid hostId, VolumeSpec spec, CancellationToken cancellationToken = default) =>
        Record($"create {spec.Pool}/{spec.Name} {spec.SizeBytes} {spec.Format} {spec.Preallocation} {spec.BackingVolume?.Name}");

    public Task ResizeVolumeAsync(Guid hostId, string pool, string name, ulong newCapacityBytes, bool allowShrink, CancellationToken cancellationToken = default) =>
        Record($"resize {pool}/{name} {newCapacityBytes} {allowShrink}");

    public Task WipeVolumeAsync(Guid hostId, string pool, string name, CancellationToken cancellationToken = default) => Record($"wipe {pool}/{name}");
    public Task DeleteVolumeAsync(Guid hostId, string pool, string name, CancellationToken cancellationToken = default) => Record($"delete {pool}/{name}");

    public Task<VolumeInformation> GetVolumeInfoAsync(Guid hostId, string pool, string name, CancellationToken cancellationToken = default) =>
        Task.FromResult(new VolumeInformation(pool, name, "/p/" + name, "qcow2", 1 << 30, 1 << 20, null, [new BackingImage("/p/base.qcow2", "qcow2")]));

    public Task CopyVolumeAsync(Guid hostId, VolumeCopySpec spec, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Record($"copy {spec.SourcePool}/{spec.SourceName} -> {spec.TargetPool}/{spec.TargetName} {spec.Format}");

    /// <summary>The bytes of each uploaded volume, by "pool/name"; downloads answer from here.</summary>
    public ConcurrentDictionary<string, byte[]> Files { get; } = new();

    public async Task UploadAsync(Guid hostId, string pool, string name, Stream source, ulong lengthBytes, bool overwrite,
        IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        await Record($"upload {pool}/{name} {lengthBytes}");
        using var copy = new MemoryStream();
        await source.CopyToAsync(copy, cancellationToken);
        Files[$"{pool}/{name}"] = copy.ToArray();
    }

    public Task<VolumeDownload> PrepareDownloadAsync(Guid hostId, string pool, string name, CancellationToken cancellationToken = default) =>
        Files.TryGetValue($"{pool}/{name}", out var data)
            ? Task.FromResult(new VolumeDownload(name, (ulong)data.Length))
            : Task.FromException<VolumeDownload>(new HypervisorException($"Download volume {name}: the volume no longer exists."));

    public async Task DownloadAsync(Guid hostId, string pool, string name, Stream destination,
        IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        await Record($"download {pool}/{name}");
        await destination.WriteAsync(Files[$"{pool}/{name}"], cancellationToken);
    }
}

/// <summary>A fixed antiforgery token, as the server would hand to an interactive page.</summary>
public sealed class FixedAntiforgery : AntiforgeryStateProvider
{
    public override AntiforgeryRequestToken? GetAntiforgeryToken() => new("token-value", "__RequestVerificationToken");
}
