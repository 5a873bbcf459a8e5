using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Ownership;

namespace KvmPortal.Web.Access;

/// <summary>
/// Indexes VMs whose host metadata names a team but that the index does not know (a new dashboard instance, a fresh
/// database, a VM defined elsewhere with our tag): each VM is read once when the inventory first shows it. A tag
/// naming a team id this database lacks is matched by the team's name; otherwise it is left alone.
/// </summary>
internal sealed class OwnershipIndexer(
    IInventory inventory,
    IVmOwnerTags tags,
    VmOwnershipIndex index,
    TeamDirectoryReader teams,
    ILogger<OwnershipIndexer> logger) : BackgroundService
{
    private readonly HashSet<VmKey> checkedVms = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscription = inventory.Subscribe(stoppingToken);
        await CheckAsync(subscription.Snapshot.Vms.Keys, stoppingToken);
        try
        {
            await foreach (var batch in subscription.Changes.WithCancellation(stoppingToken))
                await CheckAsync(batch.OfType<VmChanged>().Select(c => c.Vm.Key), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CheckAsync(IEnumerable<VmKey> vms, CancellationToken cancellationToken)
    {
        var unseen = vms.Where(vm => !checkedVms.Contains(vm)).ToList();
        if (unseen.Count == 0)
            return;
        var indexed = await index.GetAllAsync(cancellationToken);
        foreach (var vm in unseen)
        {
            if (indexed.ContainsKey(vm))
            {
                checkedVms.Add(vm);
                continue;
            }
            try
            {
                if (await tags.GetAsync(vm, cancellationToken) is { } tag && await FindTeamAsync(tag, cancellationToken) is { } team)
                {
                    await index.SetAsync(vm, team, cancellationToken);
                    logger.LogInformation("Indexed VM {Vm} on host {Host} as owned by team {Team} from its metadata", vm.Uuid, vm.HostId, tag.TeamName);
                }
                checkedVms.Add(vm);
            }
            catch (HypervisorException e)
            {
                // The host may be going offline or the VM gone; the next time the VM shows up it is tried again.
                logger.LogDebug("Could not read the owner of VM {Vm}: {Reason}", vm.Uuid, e.Message);
            }
        }
    }

    private async Task<Guid?> FindTeamAsync(VmOwnerTag tag, CancellationToken cancellationToken)
    {
        var names = await teams.GetNamesAsync(cancellationToken);
        if (names.ContainsKey(tag.TeamId))
            return tag.TeamId;
        return names.Where(t => string.Equals(t.Value, tag.TeamName, StringComparison.Ordinal)).Select(t => (Guid?)t.Key).FirstOrDefault();
    }
}
