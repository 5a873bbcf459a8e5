using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Migration;

namespace KvmPortal.Web.Access.Gated;

/// <summary>
/// <see cref="IVmMigration"/> through the gate: checking and migrating need the migrate permission on the VM (its
/// team's administrators and operators, global administrators). Audited as "vm.migrate" with the target host and the
/// options. The owning team travels in the domain's metadata; the index follows at once, so the moved VM stays its
/// team's without waiting for the ownership indexer.
/// </summary>
internal sealed class GatedVmMigration(
    IVmMigration inner,
    OperationGate gate,
    AuditTargets targets,
    VmOwnershipIndex index,
    IAccessViewSource views,
    IInventory inventory) : IVmMigration
{
    public async Task CheckAsync(VmKey vm, MigrationSpec spec, CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.MigrateVm, AccessTarget.Of(vm), cancellationToken);
        await inner.CheckAsync(vm, spec, cancellationToken);
    }

    public Task<VmKey> MigrateAsync(VmKey vm, MigrationSpec spec, IProgress<MigrationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var targetHost = inventory.Current.Hosts.TryGetValue(spec.TargetHostId, out var host) ? host.Name : spec.TargetHostId.ToString();
        var parameters = new
        {
            target = targetHost, mode = spec.Mode.ToString(), keepOnSource = spec.KeepOnSource,
            migrationAddress = spec.MigrationAddress, bandwidthMiBps = spec.BandwidthMiBps, copyStorage = spec.CopyStorage,
        };
        return gate.RunAsync(new GatedOperation(PortalAction.MigrateVm, "vm.migrate", AccessTarget.Of(vm), targets.Vm(vm), parameters), async () =>
        {
            var team = await index.GetTeamAsync(vm, CancellationToken.None);
            var moved = await inner.MigrateAsync(vm, spec, progress, cancellationToken);
            if (team is { } owner)
            {
                await index.SetAsync(moved, owner, CancellationToken.None);
                if (!spec.KeepOnSource) await index.RemoveAsync(vm, CancellationToken.None);
                views.Invalidate();
            }
            return moved;
        }, cancellationToken);
    }
}
