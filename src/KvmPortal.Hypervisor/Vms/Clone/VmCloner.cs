using System.Xml.Linq;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Vms.Clone;

internal sealed class VmCloner(HostManager hosts, IInventory inventory) : IVmCloning
{
    private static readonly TimeSpan CopyPollInterval = TimeSpan.FromMilliseconds(500);

    public async Task<ClonePlan> PlanAsync(VmKey source, CloneSpec spec, CancellationToken cancellationToken = default)
    {
        Validate(source.HostId, spec);
        var session = HostCalls.Session(hosts, source.HostId);
        return await HostCalls.CallAsync(session, new HostCall("vm.clone.plan", $"Plan the clone {spec.Name}", spec.Name),
            connection => ClonePlanner.Plan(connection, source.Uuid, spec), cancellationToken);
    }

    public async Task<VmKey> CloneAsync(VmKey source, CloneSpec spec, IProgress<CloneProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var plan = await PlanAsync(source, spec, cancellationToken);
        var session = HostCalls.Session(hosts, source.HostId);
        var made = new List<(ClonedDisk Disk, string Path)>();
        var step = "checking the disks";
        try
        {
            for (var i = 0; i < plan.Disks.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var disk = plan.Disks[i];
                step = $"{(spec.Linked ? "creating the overlay" : "copying disk")} {disk.Target} to {disk.TargetPool}/{disk.TargetVolume}";
                var number = i + 1;
                var path = await MakeVolume(session, plan, disk, spec.Linked,
                    transfer => progress?.Report(new CloneProgress(disk.Target, number, plan.Disks.Count, transfer)));
                made.Add((disk, path));
            }
            cancellationToken.ThrowIfCancellationRequested();
            step = "defining the clone";
            var xml = CloneXmlBuilder.Build(plan.SourceXml, spec.Name, made, spec.Linked, plan.Ports);
            var uuid = await HostCalls.CallAsync(session, new HostCall("vm.clone.define", $"Define the clone {spec.Name}", spec.Name), connection =>
            {
                using var domain = connection.DefineDomain(xml, DefineDomainFlags.Validate);
                return domain.Uuid;
            }, CancellationToken.None);
            session.RequestRefresh(uuid);
            return new VmKey(source.HostId, uuid);
        }
        catch (Exception e) when (e is HypervisorException or OperationCanceledException or FormatException or System.Xml.XmlException)
        {
            var leftovers = await RollBack(session, made.Select(m => m.Disk).ToList());
            var why = e is OperationCanceledException ? "it was cancelled" : e.Message;
            throw new HypervisorException($"Cloning {plan.SourceName} as {spec.Name} on host {session.Host.Name} failed while {step}: {why} " + Describe(leftovers),
                (e as HypervisorException)?.LibvirtMessage, e)
            {
                Kind = leftovers.Count == 0 ? HypervisorErrorKind.CreateFailed : HypervisorErrorKind.CreateFailedLeftovers,
                Arguments = leftovers.Count == 0 ? [spec.Name, session.Host.Name] : [spec.Name, session.Host.Name, string.Join("; ", leftovers)],
            };
        }
    }

    /// <summary>Makes one disk's new volume and returns its path; reports how much of it is written meanwhile.</summary>
    private static async Task<string> MakeVolume(HostSession session, ClonePlan plan, ClonedDisk disk, bool linked, Action<TransferProgress> report)
    {
        var total = linked ? 0 : disk.AllocationBytes;
        report(new TransferProgress(0, total));
        var call = new HostCall(linked ? "vm.clone.overlay" : "vm.clone.copy", $"Make volume {disk.TargetPool}/{disk.TargetVolume}", plan.SourceName);
        // libvirt's copy cannot be interrupted once it runs, so it gets no cancellation token.
        var making = HostCalls.CallAsync(session, call, connection => linked ? CreateOverlay(connection, disk) : Copy(connection, disk), CancellationToken.None);
        while (!linked && !making.IsCompleted)
        {
            await Task.WhenAny(making, Task.Delay(CopyPollInterval));
            if (making.IsCompleted) break;
            if (await WrittenBytes(session, disk) is { } done) report(new TransferProgress(Math.Min(done, total), total));
        }
        var path = await making;
        report(new TransferProgress(total, total));
        return path;
    }

    private static string Copy(Connection connection, ClonedDisk disk)
    {
        using var sourcePool = connection.LookupStoragePoolByName(disk.SourcePool);
        using var source = sourcePool.LookupVolumeByName(disk.SourceVolume);
        using var targetPool = connection.LookupStoragePoolByName(disk.TargetPool);
        var xml = new XElement("volume", new XElement("name", disk.TargetVolume),
            new XElement("capacity", new XAttribute("unit", "bytes"), disk.CapacityBytes),
            new XElement("target", new XElement("format", new XAttribute("type", disk.SourceFormat)))).ToString();
        using var copy = targetPool.CreateVolumeFrom(xml, source);
        return copy.GetPath();
    }

    private static string CreateOverlay(Connection connection, ClonedDisk disk)
    {
        using var pool = connection.LookupStoragePoolByName(disk.TargetPool);
        var xml = new XElement("volume", new XElement("name", disk.TargetVolume),
            new XElement("capacity", new XAttribute("unit", "bytes"), disk.CapacityBytes),
            new XElement("allocation", new XAttribute("unit", "bytes"), 0),
            new XElement("target", new XElement("format", new XAttribute("type", "qcow2"))),
            new XElement("backingStore", new XElement("path", disk.SourcePath),
                new XElement("format", new XAttribute("type", disk.SourceFormat)))).ToString();
        using var overlay = pool.CreateVolume(xml);
        return overlay.GetPath();
    }

    private static async Task<ulong?> WrittenBytes(HostSession session, ClonedDisk disk)
    {
        try
        {
            return await session.CallAsync(connection =>
            {
                using var pool = connection.LookupStoragePoolByName(disk.TargetPool);
                using var copy = pool.LookupVolumeByName(disk.TargetVolume);
                return copy.GetInfo().AllocationBytes;
            }, CancellationToken.None);
        }
        catch (Exception e) when (e is LibvirtException or HypervisorException)
        {
            return null; // the copy is not visible yet
        }
    }

    /// <summary>Deletes the volumes a failed clone made; returns what could not be removed.</summary>
    private static async Task<List<string>> RollBack(HostSession session, List<ClonedDisk> made)
    {
        if (made.Count == 0) return [];
        try
        {
            return await session.CallAsync(connection =>
            {
                var leftovers = new List<string>();
                foreach (var disk in Enumerable.Reverse(made))
                {
                    try
                    {
                        using var pool = connection.LookupStoragePoolByName(disk.TargetPool);
                        using var volume = pool.LookupVolumeByName(disk.TargetVolume);
                        volume.Delete();
                    }
                    catch (LibvirtException e) when (e.ErrorCode != ErrorCode.NoStorageVol)
                    {
                        leftovers.Add($"volume {disk.TargetPool}/{disk.TargetVolume} ({e.Message})");
                    }
                    catch (LibvirtException)
                    {
                    }
                }
                return leftovers;
            }, CancellationToken.None);
        }
        catch (Exception e) when (e is HypervisorException or ObjectDisposedException)
        {
            return made.Select(d => $"volume {d.TargetPool}/{d.TargetVolume} ({e.Message})").ToList();
        }
    }

    private static string Describe(List<string> leftovers) => leftovers.Count == 0
        ? "Nothing was left behind."
        : "These could not be removed and need cleaning up: " + string.Join("; ", leftovers) + ".";

    private void Validate(Guid hostId, CloneSpec spec)
    {
        var names = inventory.Current.Vms.Values.Where(vm => vm.HostId == hostId).Select(vm => vm.Name).ToHashSet(StringComparer.Ordinal);
        if (CloneSpecValidator.Validate(spec, names) is { Count: > 0 } problems) throw HypervisorException.Invalid(problems, $"{spec.Name} cannot be created: ");
    }
}
