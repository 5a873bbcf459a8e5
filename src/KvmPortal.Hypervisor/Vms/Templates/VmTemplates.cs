using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Vms.Templates;

internal sealed class VmTemplates(HostManager hosts, IInventory inventory, TimeProvider clock) : IVmTemplates
{
    public async Task SetTemplateAsync(VmKey vm, bool template, CancellationToken cancellationToken = default)
    {
        var label = inventory.Current.Vms.TryGetValue(vm, out var info) ? info.Name : $"VM {vm.Uuid}";
        var session = HostCalls.Session(hosts, vm.HostId);
        var call = new HostCall(template ? "vm.template.mark" : "vm.template.unmark",
            $"{(template ? "Mark" : "Unmark")} {label} as a template", label);
        await HostCalls.CallAsync(session, call, connection =>
        {
            using var domain = connection.LookupDomainByUuid(vm.Uuid);
            if (template) Mark(domain);
            else Unmark(domain);
            return true;
        }, cancellationToken);
        session.RequestRefresh(vm.Uuid); // the inventory's row shows the mark
    }

    private void Mark(Domain domain)
    {
        if (domain.IsActive || !domain.IsPersistent)
            throw HypervisorException.Because(HypervisorErrorKind.TemplateNeedsShutOff,
                $"{domain.Name} must be shut off (and defined, not transient) to become a template.", domain.Name);
        if (VmTemplateTag.IsTemplate(domain)) return;
        domain.SetElementMetadata(VmTemplateTag.ToXml(clock.GetUtcNow()), VmTemplateTag.Prefix, VmTemplateTag.Namespace, DomainModificationImpact.Config);
    }

    private static void Unmark(Domain domain)
    {
        // A template someone started outside the dashboard has the mark live too.
        var scope = domain.IsActive ? DomainModificationImpact.Live : 0;
        if (domain.IsPersistent) scope |= DomainModificationImpact.Config;
        try
        {
            domain.SetElementMetadata(null, VmTemplateTag.Prefix, VmTemplateTag.Namespace, scope);
        }
        catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoDomainMetadata)
        {
            // not a template: nothing to remove
        }
    }
}
