using KvmPortal.Web.Access;

namespace KvmPortal.Web.Components.Pages.Usage;

/// <summary>
/// Which teams' usage the user may read, from their grants: every team (Teams null) with a global ViewUsage grant,
/// else the teams a grant allows it for. The page asks only within this scope; the server checks again.
/// </summary>
public sealed record UsageReportScope(IReadOnlyCollection<Guid>? Teams)
{
    /// <summary>The user's scope, or null when no grant lets them see any usage.</summary>
    public static UsageReportScope? Of(AccessView access)
    {
        if (access.Can(PortalAction.ViewUsage))
            return new UsageReportScope(Teams: null);
        var teams = access.Grants
            .Where(g => g.TeamId is not null && AccessRules.Allows(g, PortalAction.ViewUsage, g.TeamId))
            .Select(g => g.TeamId!.Value)
            .Distinct()
            .ToList();
        return teams.Count == 0 ? null : new UsageReportScope(teams);
    }
}
