using KvmPortal.Web.Access;

namespace KvmPortal.Web.Consoles;

/// <summary>
/// The console mode an actor may have: what was asked for when allowed, view-only when only that is allowed (a
/// view-only grant yields a view-only console whatever the page asks), none otherwise. Decided at ticket issue and
/// again when the ticket is redeemed, so a grant revoked in between is honoured.
/// </summary>
public sealed class ConsoleAccess(IAccessPolicy policy)
{
    public async Task<ConsoleMode?> GetModeAsync(Actor actor, Guid hostId, Guid domainUuid, ConsoleMode requested, CancellationToken cancellationToken = default)
    {
        var target = new AccessTarget(hostId, domainUuid);
        if (requested == ConsoleMode.Full && await policy.IsAllowedAsync(actor, PortalAction.OpenConsole, target, cancellationToken))
            return ConsoleMode.Full;
        if (await policy.IsAllowedAsync(actor, PortalAction.OpenConsoleViewOnly, target, cancellationToken))
            return ConsoleMode.ViewOnly;
        return null;
    }

    public static PortalAction PermissionOf(ConsoleMode mode) =>
        mode == ConsoleMode.Full ? PortalAction.OpenConsole : PortalAction.OpenConsoleViewOnly;
}
