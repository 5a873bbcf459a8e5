using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace KvmPortal.Web.Access;

/// <summary>
/// <see cref="IAccessPolicy"/> over the grants and the VM ownership index in PostgreSQL; the rules are
/// <see cref="AccessRules"/>. Reads the database on every decision, so a revoked grant takes effect at once.
/// </summary>
public sealed class AccessPolicy(IDbContextFactory<KvmPortalDbContext> contexts, VmOwnershipIndex ownership) : IAccessPolicy
{
    public Task<bool> IsAllowedAsync(Actor actor, PortalAction action, AccessTarget target, CancellationToken cancellationToken = default) =>
        DecideAsync(GetGrantsAsync(actor.UserId, cancellationToken), action, target, cancellationToken);

    public Func<PortalAction, AccessTarget, Task<bool>> Prepare(Actor actor, CancellationToken cancellationToken = default)
    {
        var reading = GetGrantsAsync(actor.UserId, cancellationToken);
        return (action, target) => DecideAsync(reading, action, target, cancellationToken);
    }

    private async Task<bool> DecideAsync(Task<IReadOnlyList<RoleGrant>> reading, PortalAction action, AccessTarget target, CancellationToken cancellationToken)
    {
        var grants = await reading;
        if (grants.Count == 0)
            return false;
        // A global grant decides without the owner (the common case for administrators): skip the index read.
        if (grants.Any(g => g.IsGlobal && AccessRules.Allows(g, action, team: null)))
            return true;
        var team = await GetTeamAsync(target, cancellationToken);
        return AccessRules.Allows(grants, action, team);
    }

    public async Task DemandAsync(Actor actor, PortalAction action, AccessTarget target, CancellationToken cancellationToken = default)
    {
        if (!await IsAllowedAsync(actor, action, target, cancellationToken))
            throw new AccessDeniedException(action, $"{actor.UserName} may not {action} here.");
    }

    public async Task<Func<VmKey, bool>> GetVmVisibilityAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        var grants = await GetGrantsAsync(actor.UserId, cancellationToken);
        if (AccessRules.Allows(grants, PortalAction.ViewVm, team: null))
            return _ => true;
        var teams = grants.Where(g => AccessRules.RolePermits(g, PortalAction.ViewVm)).Select(g => g.TeamId!.Value).ToList();
        if (teams.Count == 0)
            return _ => false;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var owned = await db.VmOwnership.AsNoTracking().Where(o => teams.Contains(o.TeamId))
            .Select(o => new { o.HostId, o.VmUuid }).ToListAsync(cancellationToken);
        var visible = owned.Select(o => new VmKey(o.HostId, o.VmUuid)).ToHashSet();
        return visible.Contains;
    }

    /// <summary>The user's grants; empty for a user without any (who may do nothing).</summary>
    public async Task<IReadOnlyList<RoleGrant>> GetGrantsAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.RoleGrants.AsNoTracking().Where(g => g.UserId == userId)
            .Select(g => new RoleGrant(g.Role, g.TeamId, g.ConsoleViewOnly, g.MayReboot))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The team the target concerns: the owner of its VM (from the index), else the team it names.</summary>
    private async Task<Guid?> GetTeamAsync(AccessTarget target, CancellationToken cancellationToken) =>
        target is { VmUuid: { } uuid, HostId: { } hostId }
            ? await ownership.GetTeamAsync(new VmKey(hostId, uuid), cancellationToken)
            : target.TeamId;
}
