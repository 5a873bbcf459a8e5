using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Audit;

namespace KvmPortal.Web.Access;

/// <summary>Audit targets with the names the inventory knows, so the log stays readable after renames and removals.</summary>
public sealed class AuditTargets(IInventory inventory)
{
    public AuditTarget Host(Guid hostId) => new(hostId, HostName(hostId));

    public AuditTarget Vm(VmKey vm) => new(vm.HostId, HostName(vm.HostId), vm.Uuid,
        inventory.Current.Vms.TryGetValue(vm, out var info) ? info.Name : null);

    public AuditTarget NewVm(Guid hostId, string name) => new(hostId, HostName(hostId), VmName: name);

    public AuditTarget Storage(Guid hostId, string? pool, string? volume = null) =>
        new(hostId, HostName(hostId), Pool: pool, Volume: volume);

    public AuditTarget Network(NetworkKey network) => new(network.HostId, HostName(network.HostId),
        Network: inventory.Current.Networks.TryGetValue(network, out var info) ? info.Name : network.Uuid.ToString());

    public AuditTarget Network(Guid hostId, string name) => new(hostId, HostName(hostId), Network: name);

    private string? HostName(Guid hostId) => inventory.Current.Hosts.TryGetValue(hostId, out var host) ? host.Name : null;
}
