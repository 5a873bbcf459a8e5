namespace KvmPortal.Web.Access;

/// <summary>A role the actor holds, for every VM (<see cref="TeamId"/> null) or for one team's VMs.</summary>
public sealed record RoleGrant(PortalRole Role, Guid? TeamId, bool ConsoleViewOnly = false, bool MayReboot = false)
{
    public bool IsGlobal => TeamId is null;
}
