using System.Collections.Concurrent;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Hypervisor.Vms.Edit;

namespace KvmPortal.Web.Tests.Fakes;

/// <summary>Records every edit as a readable line (e.g. "SetVcpus 4 Both"); throws <see cref="Failure"/> instead when set.</summary>
public sealed class RecordingVmEditing : IVmEditing
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public Exception? Failure { get; set; }

    public string PersistentXml { get; set; } = "<domain type='qemu'>\n  <name>web1</name>\n</domain>";

    /// <summary>The XML of the last ReplaceXml call.</summary>
    public string? ReplacedXml { get; private set; }

    /// <summary>What DescribeDeletionAsync answers; the options asked with are recorded.</summary>
    public Func<VmKey, DeleteOptions, DeletionPlan> Deletion { get; set; } = (_, options) =>
        new DeletionPlan("web1", false, options.RemoveStorage ? ["/var/lib/libvirt/images/web1.qcow2"] : [],
            options.RemoveStorage ? [] : [new KeptDisk("vda", "/var/lib/libvirt/images/web1.qcow2", "not asked")],
            options.RemoveSnapshotsMetadata, null, false);

    private Task Record(string call)
    {
        if (Failure is not null)
            return Task.FromException(Failure);
        Calls.Enqueue(call);
        return Task.CompletedTask;
    }

    private async Task<T> Record<T>(string call, T result)
    {
        await Record(call);
        return result;
    }

    public Task SetVcpusAsync(VmKey vm, int count, ChangeScope scope, CancellationToken cancellationToken = default) => Record($"SetVcpus {count} {scope}");
    public Task SetMemoryAsync(VmKey vm, ulong bytes, ChangeScope scope, CancellationToken cancellationToken = default) => Record($"SetMemory {bytes} {scope}");
    public Task<string> AttachDiskAsync(VmKey vm, DiskSpec disk, ChangeScope scope, CancellationToken cancellationToken = default) =>
        Record($"AttachDisk {disk.NewVolume?.Name ?? disk.ExistingVolume?.Name} {disk.Device} {scope}", "vdb");
    public Task DetachDiskAsync(VmKey vm, string target, ChangeScope scope, CancellationToken cancellationToken = default) => Record($"DetachDisk {target} {scope}");
    public Task<string> AttachNicAsync(VmKey vm, NicSpec nic, ChangeScope scope, CancellationToken cancellationToken = default) =>
        Record($"AttachNic {nic.Kind} {nic.Source} {scope}", nic.Mac ?? "52:54:00:00:00:01");
    public Task DetachNicAsync(VmKey vm, string mac, ChangeScope scope, CancellationToken cancellationToken = default) => Record($"DetachNic {mac} {scope}");
    public Task ChangeMediaAsync(VmKey vm, string target, CdromMedia media, ChangeScope scope, CancellationToken cancellationToken = default) =>
        Record($"ChangeMedia {target} {media.Volume?.Name ?? media.Path ?? "eject"} {scope}");
    public Task SetBootOrderAsync(VmKey vm, IReadOnlyList<BootDevice> order, bool bootMenu, CancellationToken cancellationToken = default) =>
        Record($"SetBootOrder {string.Join(",", order)} {bootMenu}");
    public Task SetAutostartAsync(VmKey vm, bool enabled, CancellationToken cancellationToken = default) => Record($"SetAutostart {enabled}");
    public Task SetTitleAndDescriptionAsync(VmKey vm, string? title, string? description, CancellationToken cancellationToken = default) =>
        Record($"SetTitle {title}|{description}");
    public Task RenameAsync(VmKey vm, string newName, CancellationToken cancellationToken = default) => Record($"Rename {newName}");
    public Task ReplaceXmlAsync(VmKey vm, string xml, CancellationToken cancellationToken = default)
    {
        ReplacedXml = xml;
        return Record("ReplaceXml");
    }
    public Task<string> GetPersistentXmlAsync(VmKey vm, CancellationToken cancellationToken = default) => Task.FromResult(PersistentXml);
    public Task<DeletionPlan> DescribeDeletionAsync(VmKey vm, DeleteOptions options, CancellationToken cancellationToken = default) =>
        Task.FromResult(Deletion(vm, options));
    public Task<DeletionResult> DeleteAsync(VmKey vm, DeleteOptions options, CancellationToken cancellationToken = default) =>
        Record($"Delete storage={options.RemoveStorage} snapshots={options.RemoveSnapshotsMetadata} nvram={options.RemoveNvram}",
            new DeletionResult(options.RemoveStorage ? ["/var/lib/libvirt/images/web1.qcow2"] : [], []));
    public Task ManagedSaveAsync(VmKey vm, CancellationToken cancellationToken = default) => Record("ManagedSave");
    public Task RemoveManagedSaveAsync(VmKey vm, CancellationToken cancellationToken = default) => Record("RemoveManagedSave");
    public Task StartAsync(VmKey vm, bool paused, CancellationToken cancellationToken = default) => Record($"Start paused={paused}");
}
