using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace KvmPortal.Web.Quotas;

/// <summary>A team's use with the VMs and volumes it was counted from.</summary>
public sealed record TeamUse(QuotaAmounts Amounts, IReadOnlyList<VmInfo> Vms, IReadOnlySet<VolumeKey> Volumes);

/// <summary>
/// Gathers what teams use now: their VMs from the ownership index, as the live inventory shows them (a VM the
/// inventory does not show is gone and counts for nothing), and the capacity of the volumes those VMs use (ISO images
/// excepted: install media are not the team's storage), read from their hosts' pools.
/// </summary>
public sealed class QuotaUsageReader(
    IDbContextFactory<KvmPortalDbContext> contexts,
    IInventory inventory,
    VmOwnershipIndex ownership,
    [FromKeyedServices(ServiceKeys.Ungated)] IStorageOperations storage,
    ILogger<QuotaUsageReader> logger)
{
    /// <summary>A fresh volume cache for one check or one page.</summary>
    public VolumeScan NewScan() => new(storage, logger);

    public async Task<TeamQuota?> GetQuotaAsync(Guid team, CancellationToken cancellationToken = default) =>
        (await ReadQuotasAsync(team, cancellationToken)).SingleOrDefault();

    /// <summary>The team's use; its disk only when <paramref name="disks"/> is given (it costs a pass over the pools of its hosts).</summary>
    public async Task<TeamUse> ReadAsync(TeamQuota quota, VolumeScan? disks, CancellationToken cancellationToken = default)
    {
        var owned = await ownership.GetVmsOfAsync(quota.TeamId, cancellationToken);
        return await ReadAsync(quota, owned, disks, cancellationToken);
    }

    /// <summary>Every team's quota and use (disks included), for the team page.</summary>
    public async Task<IReadOnlyList<TeamQuotaUse>> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        var quotas = await ReadQuotasAsync(null, cancellationToken);
        var owned = (await ownership.GetAllAsync(cancellationToken)).ToLookup(o => o.Value, o => o.Key);
        var scan = NewScan();
        var uses = new List<TeamQuotaUse>();
        foreach (var quota in quotas)
            uses.Add(new TeamQuotaUse(quota, (await ReadAsync(quota, owned[quota.TeamId], scan, cancellationToken)).Amounts));
        return uses;
    }

    private async Task<TeamUse> ReadAsync(TeamQuota quota, IEnumerable<VmKey> owned, VolumeScan? disks, CancellationToken cancellationToken)
    {
        var current = inventory.Current.Vms;
        var vms = owned.Where(current.ContainsKey).Select(key => current[key]).ToList();
        var volumes = disks is null ? new Dictionary<VolumeKey, ulong>() : await VolumesOfAsync(vms, disks, cancellationToken);
        var diskBytes = volumes.Values.Aggregate(0UL, (sum, capacity) => sum + capacity);
        return new TeamUse(QuotaRules.UseOf(vms, quota.CountsRunningOnly, diskBytes), vms, volumes.Keys.ToHashSet());
    }

    private static async Task<Dictionary<VolumeKey, ulong>> VolumesOfAsync(IReadOnlyList<VmInfo> vms, VolumeScan disks, CancellationToken cancellationToken)
    {
        var found = new Dictionary<VolumeKey, ulong>();
        foreach (var host in vms.GroupBy(vm => vm.HostId))
        {
            var uuids = host.Select(vm => vm.Uuid).ToHashSet();
            foreach (var (key, volume) in await disks.OfHostAsync(host.Key, cancellationToken))
                if (!IsoImages.Is(volume.Name, volume.Format) && volume.UsedBy.Any(user => uuids.Contains(user.VmUuid)))
                    found[key] = volume.CapacityBytes;
        }
        return found;
    }

    private async Task<IReadOnlyList<TeamQuota>> ReadQuotasAsync(Guid? team, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Teams.AsNoTracking().Where(t => team == null || t.Id == team).OrderBy(t => t.Name)
            .Select(t => new TeamQuota(t.Id, t.Name, t.MaxVcpus, t.MaxMemoryMib, t.MaxDiskGib, t.MaxVms, t.QuotaCountsRunningOnly))
            .ToListAsync(cancellationToken);
    }
}
