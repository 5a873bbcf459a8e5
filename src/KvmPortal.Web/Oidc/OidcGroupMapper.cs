using KvmPortal.Web.Access;

namespace KvmPortal.Web.Oidc;

/// <summary>The grants a user's groups map to, and the configured teams that do not exist (those mappings give nothing).</summary>
public sealed record MappedGrants(IReadOnlyList<RoleGrant> Grants, IReadOnlyList<string> UnknownTeams);

/// <summary>Turns the identity provider's groups into grants through KvmPortal:Oidc:GroupMappings.</summary>
public static class OidcGroupMapper
{
    /// <param name="teamIds">Team ids by exact team name.</param>
    public static MappedGrants Map(IEnumerable<string> groups, IReadOnlyDictionary<string, OidcGroupMapping> mappings,
        IReadOnlyDictionary<string, Guid> teamIds)
    {
        var unknownTeams = new SortedSet<string>(StringComparer.Ordinal);
        var grants = new List<RoleGrant>();
        foreach (var group in groups.Distinct(StringComparer.Ordinal))
        {
            if (!mappings.TryGetValue(group, out var mapping))
                continue;
            Guid? teamId = null;
            if (mapping.Team is { } team)
            {
                if (!teamIds.TryGetValue(team, out var id))
                {
                    unknownTeams.Add(team);
                    continue;
                }
                teamId = id;
            }
            var helpDesk = mapping.Role == PortalRole.HelpDesk;
            grants.Add(new RoleGrant(mapping.Role, teamId, helpDesk && mapping.ConsoleViewOnly, helpDesk && mapping.MayReboot));
        }
        return new MappedGrants(Merge(grants), [.. unknownTeams]);
    }

    /// <summary>
    /// One grant per role and team (the database holds no more): two groups giving the same help desk grant give its
    /// wider form, a full console when either does and rebooting when either allows it.
    /// </summary>
    private static List<RoleGrant> Merge(List<RoleGrant> grants) =>
        [.. grants.GroupBy(g => (g.Role, g.TeamId))
            .Select(same => new RoleGrant(same.Key.Role, same.Key.TeamId,
                same.All(g => g.ConsoleViewOnly), same.Any(g => g.MayReboot)))];
}
