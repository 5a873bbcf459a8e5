namespace KvmPortal.Web.Access;

/// <summary>The roles of issue 7; each is granted globally or for one team (see <see cref="AccessRules"/>).</summary>
public enum PortalRole
{
    Administrator,
    Operator,
    HelpDesk,
    Viewer,
}
