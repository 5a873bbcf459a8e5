using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Clone;
using KvmPortal.Web.Quotas;

namespace KvmPortal.Web.Access.Gated;

/// <summary>
/// <see cref="IVmCloning"/> through the gate: cloning reads the source (view permission on it) and creates a VM, so it
/// needs the create permission for the team the clone will belong to (<see cref="VmCreationTeam"/>) and must fit that
/// team's quota as a new VM; the clone is owned by that team. Audited as "vm.clone" (or "vm.template.create" for a VM made
/// from a template) with the source's and clone's names.
/// </summary>
internal sealed class GatedVmCloning(
    IVmCloning inner,
    OperationGate gate,
    VmCreationTeam creationTeam,
    VmOwnership ownership,
    AuditTargets targets,
    IAccessViewSource views,
    IInventory inventory,
    QuotaGuard quotas) : IVmCloning
{
    public async Task<ClonePlan> PlanAsync(VmKey source, CloneSpec spec, CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.ViewVm, AccessTarget.Of(source), cancellationToken);
        await gate.DemandAsync(PortalAction.CreateVm, await TargetAsync(source, cancellationToken), cancellationToken);
        return await inner.PlanAsync(source, spec, cancellationToken);
    }

    public async Task<VmKey> CloneAsync(VmKey source, CloneSpec spec, IProgress<CloneProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.ViewVm, AccessTarget.Of(source), cancellationToken);
        var target = await TargetAsync(source, cancellationToken);
        var sourceName = inventory.Current.Vms.TryGetValue(source, out var info) ? info.Name : source.Uuid.ToString();
        var parameters = new { source = sourceName, clone = spec.Name, spec.TargetPool, spec.Linked, team = target.TeamId };
        return await gate.RunAsync(
            new GatedOperation(PortalAction.CreateVm, spec.FromTemplate ? "vm.template.create" : "vm.clone", target, targets.NewVm(source.HostId, spec.Name), parameters,
                Admit: async ct => await quotas.EnsureCloneAsync(target.TeamId, source, (await inner.PlanAsync(source, spec, ct)).Disks, ct)),
            async () =>
            {
                var vm = await inner.CloneAsync(source, spec, progress, cancellationToken);
                if (target.TeamId is { } team)
                {
                    await ownership.SetOwnerAsync(vm, team, CancellationToken.None);
                    views.Invalidate();
                }
                return vm;
            }, cancellationToken);
    }

    private async Task<AccessTarget> TargetAsync(VmKey source, CancellationToken cancellationToken)
    {
        var actor = await gate.GetActorAsync(PortalAction.CreateVm, cancellationToken);
        return new AccessTarget(source.HostId, TeamId: await creationTeam.ResolveAsync(actor, cancellationToken));
    }
}
