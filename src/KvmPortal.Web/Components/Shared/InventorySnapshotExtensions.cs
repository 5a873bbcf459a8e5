using KvmPortal.Hypervisor.Inventory;

namespace KvmPortal.Web.Components.Shared;

public static class InventorySnapshotExtensions
{
    /// <summary>The snapshot after a batch of changes, applied in order.</summary>
    public static InventorySnapshot Apply(this InventorySnapshot snapshot, IEnumerable<InventoryChange> changes)
    {
        var hosts = snapshot.Hosts.ToBuilder();
        var vms = snapshot.Vms.ToBuilder();
        foreach (var change in changes)
        {
            switch (change)
            {
                case HostChanged c: hosts[c.Host.Id] = c.Host; break;
                case HostRemoved c:
                    hosts.Remove(c.HostId);
                    vms.RemoveRange(vms.Keys.Where(k => k.HostId == c.HostId).ToList());
                    break;
                case VmChanged c: vms[c.Vm.Key] = c.Vm; break;
                case VmRemoved c: vms.Remove(c.Key); break;
            }
        }
        return new InventorySnapshot(hosts.ToImmutable(), vms.ToImmutable());
    }
}
