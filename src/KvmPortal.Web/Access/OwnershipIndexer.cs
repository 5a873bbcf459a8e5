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
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(30);
    private readonly HashSet<VmKey> checkedVms = [];

    // A failure here (the database restarting, a host call going wrong) must not stop the whole app, which is what
    // an exception escaping a BackgroundService does: it is logged and indexing starts over after a pause.
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await IndexAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Indexing VM ownership failed; trying again in {Delay}", RetryDelay);
                try
                {
                    await Task.Delay(RetryDelay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task IndexAsync(CancellationToken stoppingToken)
    {
        var subscription = inventory.Subscribe(stoppingToken);
        await CheckAsync(subscription.Snapshot.Vms.Keys, stoppingToken);
        await foreach (var batch in subscription.Changes.WithCancellation(stoppingToken))
            await CheckAsync(batch.OfType<VmChanged>().Select(c => c.Vm.Key), stoppingToken);
    }

    private async Task CheckAsync(IEnumerable<VmKey> vms, CancellationToken cancellationToken)
    {
        var unseen = vms.Where(vm => !checkedVms.Contains(vm)).ToList();
        if (unseen.Count == 0)
            return;
        var indexed = await index.GetAllAsync(cancellationToken);
        IReadOnlyDictionary<Guid, string>? teamNames = null; // read once, when the first tag needs it
        foreach (var vm in unseen)
        {
            if (indexed.ContainsKey(vm))
            {
                checkedVms.Add(vm);
                continue;
            }
            try
            {
                if (await tags.GetAsync(vm, cancellationToken) is { } tag && FindTeam(tag, teamNames ??= await teams.GetNamesAsync(cancellationToken)) is { } team)
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

    private static Guid? FindTeam(VmOwnerTag tag, IReadOnlyDictionary<Guid, string> names) =>
        names.ContainsKey(tag.TeamId)
            ? tag.TeamId
            : names.Where(t => string.Equals(t.Value, tag.TeamName, StringComparison.Ordinal)).Select(t => (Guid?)t.Key).FirstOrDefault();
}
