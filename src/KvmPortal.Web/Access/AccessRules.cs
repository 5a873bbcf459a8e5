namespace KvmPortal.Web.Access;

/// <summary>
/// The permission model of issue 7 as pure functions over grants (no I/O, so it is tested exhaustively).
/// <list type="bullet">
/// <item>VM actions (view, create, edit, delete, control, reboot, snapshot, migrate, consoles, usage) apply to a VM's
/// owning team: a team grant covers its team's VMs, a global grant covers every VM, owned or not. Unowned VMs are
/// covered by global grants only. Creating for a team is covered by that team's grants.</item>
/// <item>Administrator may do everything; a team Administrator may do every VM action on the team's VMs.</item>
/// <item>Operator: view, create, edit, control, reboot, snapshot, console (full or view-only) and usage. Not delete
/// or migrate (migration picks hosts, which are the administrators').</item>
/// <item>Help desk: view and the console (view-only when the grant says so); reboot when the grant allows it.</item>
/// <item>Viewer: view and usage.</item>
/// <item>Host list: every role (VMs are shown with their host). Storage and network lists: Administrators and
/// Operators, who pick pools, volumes and networks when creating and editing VMs. Any scope.</item>
/// <item>Managing hosts, storage, networks, users and reading the audit log: global Administrators only.</item>
/// </list>
/// </summary>
public static class AccessRules
{
    /// <summary>Reboot has its own permission (help desk may be allowed only that); every other lifecycle action is control.</summary>
    public static PortalAction PermissionOf(Hypervisor.Vms.VmAction action) =>
        action == Hypervisor.Vms.VmAction.Reboot ? PortalAction.RebootVm : PortalAction.ControlVm;

    public static bool IsVmAction(PortalAction action) => action is PortalAction.ViewVm or PortalAction.CreateVm
        or PortalAction.EditVm or PortalAction.DeleteVm or PortalAction.ControlVm or PortalAction.RebootVm
        or PortalAction.SnapshotVm or PortalAction.MigrateVm or PortalAction.OpenConsole
        or PortalAction.OpenConsoleViewOnly or PortalAction.ViewUsage;

    public static bool IsGlobalAdministration(PortalAction action) => action is PortalAction.ManageHosts
        or PortalAction.ManageStorage or PortalAction.ManageNetworks or PortalAction.ManageUsers or PortalAction.ViewAudit;

    /// <summary>What the grant's role permits, ignoring its scope.</summary>
    public static bool RolePermits(RoleGrant grant, PortalAction action) => grant.Role switch
    {
        PortalRole.Administrator => true,
        PortalRole.Operator => action is PortalAction.ViewVm or PortalAction.CreateVm or PortalAction.EditVm
            or PortalAction.ControlVm or PortalAction.RebootVm or PortalAction.SnapshotVm or PortalAction.OpenConsole
            or PortalAction.OpenConsoleViewOnly or PortalAction.ViewUsage
            or PortalAction.ViewHosts or PortalAction.ViewStorage or PortalAction.ViewNetworks,
        PortalRole.HelpDesk => action switch
        {
            PortalAction.ViewVm or PortalAction.OpenConsoleViewOnly or PortalAction.ViewHosts => true,
            PortalAction.OpenConsole => !grant.ConsoleViewOnly,
            PortalAction.RebootVm => grant.MayReboot,
            _ => false,
        },
        PortalRole.Viewer => action is PortalAction.ViewVm or PortalAction.ViewUsage or PortalAction.ViewHosts,
        _ => false,
    };

    /// <summary>
    /// Whether the grant allows the action on a VM owned by (or a creation for) <paramref name="team"/>; null is
    /// "no team" (an unowned VM, or a request not about any VM).
    /// </summary>
    public static bool Allows(RoleGrant grant, PortalAction action, Guid? team)
    {
        if (!RolePermits(grant, action))
            return false;
        if (IsGlobalAdministration(action))
            return grant.IsGlobal;
        if (IsVmAction(action))
            return grant.IsGlobal || grant.TeamId == team;
        return true; // the host, storage and network lists: any scope
    }

    public static bool Allows(IEnumerable<RoleGrant> grants, PortalAction action, Guid? team) =>
        grants.Any(g => Allows(g, action, team));

    /// <summary>Whether any grant allows the action somewhere (on some team's VMs): for showing a page or a button at all.</summary>
    public static bool AllowsAnywhere(IEnumerable<RoleGrant> grants, PortalAction action) =>
        grants.Any(g => Allows(g, action, g.TeamId));
}
