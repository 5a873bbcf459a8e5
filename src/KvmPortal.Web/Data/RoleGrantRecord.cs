using KvmPortal.Web.Access;

namespace KvmPortal.Web.Data;

/// <summary>
/// One role given to one user, for every VM (<see cref="TeamId"/> null, "global") or for one team's VMs. The two
/// flags only matter for <see cref="PortalRole.HelpDesk"/>.
/// </summary>
public sealed class RoleGrantRecord
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }
    public PortalRole Role { get; set; }
    public Guid? TeamId { get; set; }

    /// <summary>Help desk: the console is view-only (no keyboard or mouse reaches the VM).</summary>
    public bool ConsoleViewOnly { get; set; }

    /// <summary>Help desk: may reboot the VMs in scope.</summary>
    public bool MayReboot { get; set; }

    /// <summary>Given by hand, or mapped from the identity provider's group claim (then re-synced at each such sign-in).</summary>
    public GrantSource Source { get; set; }
}
