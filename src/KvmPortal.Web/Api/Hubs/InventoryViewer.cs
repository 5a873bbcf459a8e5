using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Web.Api.Hubs;

/// <summary>A host or VM change as sent to API clients; <see cref="Type"/> says which fields are set.</summary>
public sealed record InventoryChangeMessage(string Type, HostInfo? Host = null, VmInfo? Vm = null, Guid? HostId = null, Guid? VmUuid = null);

public sealed record InventorySnapshotMessage(IReadOnlyList<HostInfo> Hosts, IReadOnlyList<VmInfo> Vms);

/// <summary>
/// What one caller may see of the inventory: the VMs its visibility predicate admits, and the hosts it may view
/// (all, for those allowed to view hosts; otherwise the hosts of its visible VMs).
/// </summary>
public sealed class InventoryViewer(Func<VmKey, bool> vmVisible, bool seesAllHosts)
{
    public InventorySnapshotMessage Snapshot(InventorySnapshot snapshot) => new(
        snapshot.Hosts.Values.Where(h => HostVisible(snapshot, h.Id)).OrderBy(h => h.Name, StringComparer.OrdinalIgnoreCase).ToList(),
        snapshot.Vms.Values.Where(vm => vmVisible(vm.Key)).OrderBy(vm => vm.Name, StringComparer.OrdinalIgnoreCase).ToList());

    /// <summary>The visible part of a batch, judged against the snapshot after it.</summary>
    public IReadOnlyList<InventoryChangeMessage> Filter(IEnumerable<InventoryChange> changes, InventorySnapshot after) =>
        changes.Select(change => change switch
        {
            VmChanged c when vmVisible(c.Vm.Key) => new InventoryChangeMessage("vmChanged", Vm: c.Vm),
            VmRemoved c when vmVisible(c.Key) => new InventoryChangeMessage("vmRemoved", HostId: c.Key.HostId, VmUuid: c.Key.Uuid),
            HostChanged c when HostVisible(after, c.Host.Id) => new InventoryChangeMessage("hostChanged", Host: c.Host),
            HostRemoved c when seesAllHosts => new InventoryChangeMessage("hostRemoved", HostId: c.HostId),
            _ => null,
        }).OfType<InventoryChangeMessage>().ToList();

    private bool HostVisible(InventorySnapshot snapshot, Guid hostId) =>
        seesAllHosts || snapshot.Vms.Keys.Any(key => key.HostId == hostId && vmVisible(key));
}
