using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;

namespace KvmPortal.Web.Usage;

/// <summary>
/// What usage the current actor may read, decided on the server from the grants (<see cref="PortalAction.ViewUsage"/>):
/// a global grant reads every team and the unowned VMs, team grants read those teams, anyone else is refused with
/// <see cref="AccessDeniedException"/> (403 in the endpoints and the API).
/// </summary>
public sealed class UsageReportAccess(ICurrentActor actors, AccessPolicy policy)
{
    /// <summary>The report query the actor may run for the period; <see cref="AccessDeniedException"/> when none.</summary>
    public async Task<UsageReportQuery> ScopeAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var actor = await ActorAsync(cancellationToken);
        var grants = await policy.GetGrantsAsync(actor.UserId, cancellationToken);
        if (AccessRules.Allows(grants, PortalAction.ViewUsage, team: null))
            return new UsageReportQuery(from, to, Teams: null);
        var teams = grants.Where(g => g.TeamId is not null && AccessRules.Allows(g, PortalAction.ViewUsage, g.TeamId))
            .Select(g => g.TeamId!.Value).Distinct().ToList();
        return teams.Count > 0
            ? new UsageReportQuery(from, to, teams)
            : throw new AccessDeniedException(PortalAction.ViewUsage, $"{actor.UserName} may not view usage.");
    }

    /// <summary>Whether the actor may read any usage report at all (for showing the page and its menu entry); false for nobody signed in.</summary>
    public async Task<bool> MayViewReportsAsync(CancellationToken cancellationToken)
    {
        Actor actor;
        try
        {
            actor = await actors.GetAsync(cancellationToken);
        }
        catch (AccessDeniedException)
        {
            return false;
        }
        return AccessRules.AllowsAnywhere(await policy.GetGrantsAsync(actor.UserId, cancellationToken), PortalAction.ViewUsage);
    }

    /// <summary>Throws <see cref="AccessDeniedException"/> unless the actor may view usage of the VM's owning team.</summary>
    public async Task DemandVmAsync(VmKey vm, CancellationToken cancellationToken) =>
        await policy.DemandAsync(await ActorAsync(cancellationToken), PortalAction.ViewUsage, AccessTarget.Of(vm), cancellationToken);

    /// <summary>
    /// Throws <see cref="AccessDeniedException"/> unless the actor may view usage globally: a host's CPU and memory sum
    /// up every team's VMs on it (the host page shows them only then, too).
    /// </summary>
    public async Task DemandHostAsync(Guid hostId, CancellationToken cancellationToken) =>
        await policy.DemandAsync(await ActorAsync(cancellationToken), PortalAction.ViewUsage, AccessTarget.Host(hostId), cancellationToken);

    /// <summary>The signed-in actor; nobody signed in is refused as <see cref="PortalAction.ViewUsage"/>.</summary>
    private async Task<Actor> ActorAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await actors.GetAsync(cancellationToken);
        }
        catch (AccessDeniedException e) when (e.Action != PortalAction.ViewUsage)
        {
            throw new AccessDeniedException(PortalAction.ViewUsage, e.Message);
        }
    }
}
