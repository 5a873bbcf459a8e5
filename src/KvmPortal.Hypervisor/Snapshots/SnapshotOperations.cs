using System.Xml.Linq;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Snapshots;

internal sealed class SnapshotOperations(HostManager hosts, IInventory inventory) : ISnapshotOperations
{
    public Task<IReadOnlyList<SnapshotInfo>> ListAsync(VmKey vm, CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<SnapshotInfo>>(vm, "List the snapshots of", (_, domain) =>
        {
            var snapshots = domain.ListAllSnapshots(SnapshotListFlags.Topological);
            try
            {
                string? current;
                using (var currentSnapshot = domain.GetCurrentSnapshot()) current = currentSnapshot?.Name;
                return snapshots.Select(s => SnapshotXml.Read(s.GetXmlDescription(), s.Name == current)).ToList();
            }
            finally
            {
                foreach (var snapshot in snapshots) snapshot.Dispose();
            }
        }, cancellationToken, refresh: false);

    public async Task<string> CreateAsync(VmKey vm, SnapshotSpec spec, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var taking = RunAsync(vm, "Take a snapshot of", (connection, domain) =>
        {
            if (!string.IsNullOrWhiteSpace(spec.Name) && Exists(domain, spec.Name.Trim()))
                throw HypervisorException.Because(HypervisorErrorKind.SnapshotExists, $"There is a snapshot named {spec.Name.Trim()} already.", spec.Name.Trim());
            var devices = XElement.Parse(domain.GetXmlDescription()).Element("devices") ?? new XElement("devices");
            var (xml, flags) = SnapshotPlanner.Plan(devices, domain.IsActive, spec, disk => FilePath(connection, disk));
            using var snapshot = domain.CreateSnapshot(xml, flags);
            return snapshot.Name;
        }, CancellationToken.None); // once libvirt runs it, only virDomainAbortJob stops it
        await new DomainJobWatch(HostCalls.Session(hosts, vm.HostId), vm.Uuid).WatchAsync(taking, progress, cancellationToken);
        var name = await taking;
        // libvirt may finish a job it was asked to abort; the snapshot then exists and is reported as taken.
        return name;
    }

    public Task RevertAsync(VmKey vm, string name, RevertStart start, CancellationToken cancellationToken = default) =>
        RunAsync(vm, "Revert", (_, domain) =>
        {
            using var snapshot = domain.LookupSnapshotByName(name);
            if (start != RevertStart.AsSaved || SnapshotXml.Read(snapshot.GetXmlDescription(), false) is { IncludesMemory: true, State: "running" or "paused" })
                Vms.Templates.VmTemplateTag.RefuseStart(domain); // the VM would run after the revert
            snapshot.Revert(start switch
            {
                RevertStart.Running => SnapshotRevertFlags.Running,
                RevertStart.Paused => SnapshotRevertFlags.Paused,
                _ => SnapshotRevertFlags.None,
            });
            return true;
        }, cancellationToken);

    public Task DeleteAsync(VmKey vm, string name, bool withChildren, CancellationToken cancellationToken = default) =>
        RunAsync(vm, "Delete a snapshot of", (_, domain) =>
        {
            using var snapshot = domain.LookupSnapshotByName(name);
            snapshot.Delete(withChildren ? SnapshotDeleteFlags.Children : SnapshotDeleteFlags.None);
            return true;
        }, cancellationToken);

    public Task SetDescriptionAsync(VmKey vm, string name, string? description, CancellationToken cancellationToken = default) =>
        RunAsync(vm, "Describe a snapshot of", (_, domain) =>
        {
            using var snapshot = domain.LookupSnapshotByName(name);
            var flags = SnapshotCreateFlags.Redefine | (snapshot.IsCurrent ? SnapshotCreateFlags.Current : SnapshotCreateFlags.None);
            using var redefined = domain.CreateSnapshot(SnapshotXml.WithDescription(snapshot.GetXmlDescription(), description), flags);
            return true;
        }, cancellationToken);

    private static bool Exists(Domain domain, string name)
    {
        try
        {
            using var snapshot = domain.LookupSnapshotByName(name);
            return true;
        }
        catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoDomainSnapshot)
        {
            return false;
        }
    }

    /// <summary>A disk's file: its source file, or the path of its pool volume; null for block or network disks.</summary>
    private static string? FilePath(Connection connection, XElement disk)
    {
        var source = disk.Element("source");
        if ((string?)source?.Attribute("file") is { } file) return file;
        if ((string?)source?.Attribute("pool") is not { } poolName || (string?)source.Attribute("volume") is not { } volumeName)
            return null;
        using var pool = connection.LookupStoragePoolByName(poolName);
        using var volume = pool.LookupVolumeByName(volumeName);
        return volume.GetPath();
    }

    private async Task<T> RunAsync<T>(VmKey vm, string what, Func<Connection, Domain, T> call, CancellationToken cancellationToken, bool refresh = true)
    {
        var session = HostCalls.Session(hosts, vm.HostId);
        var label = inventory.Current.Vms.TryGetValue(vm, out var info) ? info.Name : $"VM {vm.Uuid}";
        try
        {
            return await HostCalls.CallAsync(session, new HostCall("vm.snapshot", $"{what} {label}", label), connection =>
            {
                using var domain = connection.LookupDomainByUuid(vm.Uuid);
                return call(connection, domain);
            }, cancellationToken);
        }
        finally
        {
            // A revert or a new overlay changes the VM's state and disks.
            if (refresh) session.RequestRefresh(vm.Uuid);
        }
    }
}
