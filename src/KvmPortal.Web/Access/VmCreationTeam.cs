namespace KvmPortal.Web.Access;

/// <summary>
/// The team a new VM will belong to, per circuit or request. The wizard sets <see cref="Chosen"/> when the user
/// picks one; otherwise <see cref="ResolveAsync"/> takes the creator's own team (the first team, by name, whose grant
/// allows creating), or no team for a global Administrator or Operator.
/// </summary>
public sealed class VmCreationTeam(AccessPolicy policy, TeamDirectoryReader teams)
{
    public Guid? Chosen { get; set; }

    public async Task<Guid?> ResolveAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (Chosen is not null)
            return Chosen;
        var grants = await policy.GetGrantsAsync(actor.UserId, cancellationToken);
        if (AccessRules.Allows(grants, PortalAction.CreateVm, team: null))
            return null;
        var candidates = grants.Where(g => g.TeamId is not null && AccessRules.RolePermits(g, PortalAction.CreateVm))
            .Select(g => g.TeamId!.Value).ToHashSet();
        var names = await teams.GetNamesAsync(cancellationToken);
        return names.Where(t => candidates.Contains(t.Key)).OrderBy(t => t.Value, StringComparer.CurrentCultureIgnoreCase)
            .Select(t => (Guid?)t.Key).FirstOrDefault();
    }
}
