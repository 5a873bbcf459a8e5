using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Templates;

namespace KvmPortal.Web.Access.Gated;

/// <summary>
/// <see cref="IVmTemplates"/> through the gate: marking and unmarking are edits of the VM (edit permission on its team),
/// audited as "vm.template.mark" / "vm.template.unmark". Making VMs from a template goes through the gated cloning.
/// </summary>
internal sealed class GatedVmTemplates(IVmTemplates inner, OperationGate gate, AuditTargets targets) : IVmTemplates
{
    public Task SetTemplateAsync(VmKey vm, bool template, CancellationToken cancellationToken = default) =>
        gate.RunAsync(
            new GatedOperation(PortalAction.EditVm, template ? "vm.template.mark" : "vm.template.unmark", AccessTarget.Of(vm), targets.Vm(vm)),
            () => inner.SetTemplateAsync(vm, template, cancellationToken), cancellationToken);
}
