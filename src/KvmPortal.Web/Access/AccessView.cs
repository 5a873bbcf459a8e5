using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Web.Access;

/// <summary>
/// What the signed-in user may do, for showing and hiding controls: their grants, the VM owners and the team names,
/// read once. Only a display aid: every operation is still checked on the server when it runs.
/// </summary>
public sealed class AccessView(
    IReadOnlyList<RoleGrant> grants,
    IReadOnlyDictionary<VmKey, Guid> owners,
    IReadOnlyDictionary<Guid, string>? teamNames = null)
{
    /// <summary>May do nothing: before the view is loaded, or for a user without grants.</summary>
    public static AccessView Nothing { get; } = new([], new Dictionary<VmKey, Guid>());

    /// <summary>May do nothing because the grants could not be read: the portal's database is unavailable.</summary>
    public static AccessView Unavailable { get; } = new([], new Dictionary<VmKey, Guid>()) { DatabaseUnavailable = true };

    public bool DatabaseUnavailable { get; private init; }

    public IReadOnlyList<RoleGrant> Grants => grants;

    public IReadOnlyDictionary<Guid, string> TeamNames { get; } = teamNames ?? new Dictionary<Guid, string>();

    /// <summary>An action that is not about one VM (lists, management), or about an unowned VM.</summary>
    public bool Can(PortalAction action) => AccessRules.Allows(grants, action, team: null);

    public bool Can(PortalAction action, VmKey vm) => AccessRules.Allows(grants, action, OwnerOf(vm));

    /// <summary>Whether the action is allowed on some VMs (e.g. the "new VM" button).</summary>
    public bool CanAnywhere(PortalAction action) => AccessRules.AllowsAnywhere(grants, action);

    public bool IsVisible(VmKey vm) => Can(PortalAction.ViewVm, vm);

    /// <summary>Whether a global grant allows the action on every VM, whoever owns it (no need to ask per VM).</summary>
    public bool CanEverywhere(PortalAction action) => grants.Any(g => g.IsGlobal && AccessRules.Allows(g, action, team: null));

    /// <summary>The teams the action is allowed for (all of them with a global grant), by name.</summary>
    public IReadOnlyList<KeyValuePair<Guid, string>> TeamsAllowing(PortalAction action) =>
        [.. TeamNames.Where(t => AccessRules.Allows(grants, action, t.Key)).OrderBy(t => t.Value, StringComparer.CurrentCultureIgnoreCase)];

    public Guid? OwnerOf(VmKey vm) => owners.TryGetValue(vm, out var team) ? team : null;
}

/// <summary>Gives components the <see cref="AccessView"/> of the current user.</summary>
public interface IAccessViewSource
{
    Task<AccessView> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads the view again on the next <see cref="GetAsync"/> (after this user changed grants or owners).</summary>
    void Invalidate();
}

/// <summary>
/// The current user's <see cref="AccessView"/>, read once per circuit or request and again after
/// <see cref="Invalidate"/> (e.g. after this user changed an owner).
/// </summary>
internal sealed class AccessViewSource(ICurrentActor actors, AccessPolicy policy, VmOwnershipIndex ownership, TeamDirectoryReader teams) : IAccessViewSource
{
    private Task<AccessView>? loading;

    public async Task<AccessView> GetAsync(CancellationToken cancellationToken = default)
    {
        var view = await (loading ??= LoadAsync(cancellationToken));
        if (view.DatabaseUnavailable) loading = null; // read again next time: the database may be back
        return view;
    }

    public void Invalidate() => loading = null;

    private async Task<AccessView> LoadAsync(CancellationToken cancellationToken)
    {
        Actor actor;
        try
        {
            actor = await actors.GetAsync(cancellationToken);
        }
        catch (AccessDeniedException)
        {
            return AccessView.Nothing;
        }
        try
        {
            var grants = await policy.GetGrantsAsync(actor.UserId, cancellationToken);
            return grants.Count == 0
                ? AccessView.Nothing
                : new AccessView(grants, await ownership.GetAllAsync(cancellationToken), await teams.GetNamesAsync(cancellationToken));
        }
        catch (Exception e) when (Data.PortalDatabase.IsUnavailable(e))
        {
            // Pages still open (showing nothing they need a grant for) and say why, instead of ending the circuit.
            return AccessView.Unavailable;
        }
    }
}
