using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Consoles;

internal sealed class ConsoleLocator(HostManager hosts, IInventory inventory) : IConsoleLocator
{
    public async Task<VncEndpoint> LocateVncAsync(VmKey vm, CancellationToken cancellationToken = default)
    {
        var session = HostCalls.Session(hosts, vm.HostId);
        var name = inventory.Current.Vms.TryGetValue(vm, out var info) ? info.Name : $"VM {vm.Uuid}";
        var xml = await HostCalls.CallAsync(session, new HostCall("console.locate", $"Open the console of {name}", name), connection =>
        {
            using var domain = connection.LookupDomainByUuid(vm.Uuid);
            return domain.GetXmlDescription(DomainXmlFlags.Secure);
        }, cancellationToken);
        return VncEndpointReader.Read(xml, session.Host.Uri, name, session.ConsoleTunnel);
    }
}
