using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Quotas;

namespace KvmPortal.Web.Access.Gated;

/// <summary>
/// <see cref="IVmOperations"/> through the gate: lifecycle actions are audited, reboot has its own permission, and
/// starting is refused when it would exceed the team's running-only quota.
/// </summary>
internal sealed class GatedVmOperations(IVmOperations inner, OperationGate gate, AuditTargets targets, QuotaGuard quotas) : IVmOperations
{
    public Task ExecuteAsync(VmKey vm, VmAction action, CancellationToken cancellationToken = default) =>
        gate.RunAsync(
            new GatedOperation(AccessRules.PermissionOf(action), "vm." + action.ToString().ToLowerInvariant(), AccessTarget.Of(vm), targets.Vm(vm),
                Admit: action == VmAction.Start ? cancellationToken => quotas.EnsureStartAsync(vm, cancellationToken) : null),
            () => inner.ExecuteAsync(vm, action, cancellationToken), cancellationToken);

    public async Task<VmDetails> GetDetailsAsync(VmKey vm, CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.ViewVm, AccessTarget.Of(vm), cancellationToken);
        return await inner.GetDetailsAsync(vm, cancellationToken);
    }
}
