using KvmPortal.Web.Access;

namespace KvmPortal.Web.Usage;

/// <summary>
/// Which teams' usage the user may read, from their grants: every team and the VMs of no team (Teams null) with a
/// global ViewUsage grant, else the teams a grant allows it for.
/// </summary>
public sealed record UsageReportScope(IReadOnlyCollection<Guid>? Teams)
{
    /// <summary>The scope of these grants, or null when none lets the user see any usage.</summary>
    public static UsageReportScope? Of(IReadOnlyList<RoleGrant> grants)
    {
        if (AccessRules.Allows(grants, PortalAction.ViewUsage, team: null))
            return new UsageReportScope(Teams: null);
        var teams = grants
            .Where(g => g.TeamId is not null && AccessRules.Allows(g, PortalAction.ViewUsage, g.TeamId))
            .Select(g => g.TeamId!.Value)
            .Distinct()
            .ToList();
        return teams.Count == 0 ? null : new UsageReportScope(teams);
    }
}
