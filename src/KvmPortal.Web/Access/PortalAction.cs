namespace KvmPortal.Web.Access;

/// <summary>Everything a user can ask of the portal; the access policy decides each one on the server.</summary>
public enum PortalAction
{
    ViewVm,
    CreateVm,
    EditVm,
    DeleteVm,
    /// <summary>Start, shut down, force off, pause, resume, managed save.</summary>
    ControlVm,
    RebootVm,
    SnapshotVm,
    MigrateVm,
    OpenConsole,
    OpenConsoleViewOnly,
    ViewHosts,
    ManageHosts,
    ViewStorage,
    ManageStorage,
    ViewNetworks,
    ManageNetworks,
    ManageUsers,
    ViewAudit,
    ViewUsage,
}
