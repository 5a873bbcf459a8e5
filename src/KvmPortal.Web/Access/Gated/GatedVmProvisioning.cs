using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Web.Quotas;

namespace KvmPortal.Web.Access.Gated;

/// <summary>
/// <see cref="IVmProvisioning"/> through the gate: creating needs the create permission for the team the VM will
/// belong to (<see cref="VmCreationTeam"/>) and must fit that team's quota; the new VM is owned by that team.
/// </summary>
internal sealed class GatedVmProvisioning(
    IVmProvisioning inner,
    OperationGate gate,
    VmCreationTeam creationTeam,
    VmOwnership ownership,
    AuditTargets targets,
    IAccessViewSource views,
    QuotaGuard quotas) : IVmProvisioning
{
    public async Task<IReadOnlyList<SpecProblem>> ValidateAsync(DomainSpec spec, CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.CreateVm, await TargetAsync(spec, cancellationToken), cancellationToken);
        return await inner.ValidateAsync(spec, cancellationToken);
    }

    public async Task<ProvisioningPlan> PreviewAsync(DomainSpec spec, CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.CreateVm, await TargetAsync(spec, cancellationToken), cancellationToken);
        return await inner.PreviewAsync(spec, cancellationToken);
    }

    public async Task<VmKey> CreateAsync(DomainSpec spec, CancellationToken cancellationToken = default)
    {
        var target = await TargetAsync(spec, cancellationToken);
        return await gate.RunAsync(
            new GatedOperation(PortalAction.CreateVm, "vm.create", target, targets.NewVm(spec.HostId, spec.Name),
                new { spec, team = target.TeamId }, Admit: ct => quotas.EnsureCreateAsync(target.TeamId, spec, ct)),
            async () =>
            {
                var vm = await inner.CreateAsync(spec, cancellationToken);
                if (target.TeamId is { } team)
                {
                    await ownership.SetOwnerAsync(vm, team, CancellationToken.None);
                    views.Invalidate();
                }
                return vm;
            }, cancellationToken);
    }

    private async Task<AccessTarget> TargetAsync(DomainSpec spec, CancellationToken cancellationToken)
    {
        var actor = await gate.GetActorAsync(PortalAction.CreateVm, cancellationToken);
        return new AccessTarget(spec.HostId, TeamId: await creationTeam.ResolveAsync(actor, cancellationToken));
    }
}
