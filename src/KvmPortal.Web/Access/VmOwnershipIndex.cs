using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace KvmPortal.Web.Access;

/// <summary>The PostgreSQL index of which team owns which VM: the query path of permission checks and lists.</summary>
public sealed class VmOwnershipIndex(IDbContextFactory<KvmPortalDbContext> contexts)
{
    public async Task<Guid?> GetTeamAsync(VmKey vm, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.VmOwnership.AsNoTracking().Where(o => o.HostId == vm.HostId && o.VmUuid == vm.Uuid)
            .Select(o => (Guid?)o.TeamId).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Every indexed VM with its team.</summary>
    public async Task<IReadOnlyDictionary<VmKey, Guid>> GetAllAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.VmOwnership.AsNoTracking().ToListAsync(cancellationToken);
        return rows.ToDictionary(o => new VmKey(o.HostId, o.VmUuid), o => o.TeamId);
    }

    /// <summary>The VMs the team owns.</summary>
    public async Task<IReadOnlyList<VmKey>> GetVmsOfAsync(Guid team, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.VmOwnership.AsNoTracking().Where(o => o.TeamId == team).Select(o => new { o.HostId, o.VmUuid }).ToListAsync(cancellationToken);
        return [.. rows.Select(o => new VmKey(o.HostId, o.VmUuid))];
    }

    /// <summary>Sets the VM's team; null makes it unowned.</summary>
    public async Task SetAsync(VmKey vm, Guid? team, CancellationToken cancellationToken = default)
    {
        if (team is null)
        {
            await RemoveAsync(vm, cancellationToken);
            return;
        }
        // One upsert: two writers racing (the indexer and an assignment) cannot both insert.
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "VmOwnership" ("HostId", "VmUuid", "TeamId") VALUES ({vm.HostId}, {vm.Uuid}, {team.Value})
            ON CONFLICT ("HostId", "VmUuid") DO UPDATE SET "TeamId" = excluded."TeamId"
            """, cancellationToken);
    }

    public async Task RemoveAsync(VmKey vm, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.VmOwnership.Where(o => o.HostId == vm.HostId && o.VmUuid == vm.Uuid).ExecuteDeleteAsync(cancellationToken);
    }
}
