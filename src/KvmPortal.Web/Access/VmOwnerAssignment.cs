using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Web.Access;

/// <summary>
/// Changing a VM's owner from the VM page: decides who may do what, so it is the administrators' (the user and team
/// administration permission), and audited.
/// </summary>
public sealed class VmOwnerAssignment(OperationGate gate, VmOwnership ownership, AuditTargets targets, IAccessViewSource views)
{
    public async Task SetAsync(VmKey vm, Guid? team, CancellationToken cancellationToken = default)
    {
        await gate.RunAsync(
            new GatedOperation(PortalAction.ManageUsers, "vm.owner", AccessTarget.Of(vm), targets.Vm(vm), new { team }),
            () => ownership.SetOwnerAsync(vm, team, cancellationToken), cancellationToken);
        views.Invalidate();
    }
}
