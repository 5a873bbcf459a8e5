using KvmPortal.Web.Access;

namespace KvmPortal.Web.Consoles;

/// <summary>
/// The console mode an actor may have: what was asked for when allowed, view-only when only that is allowed (a
/// view-only grant yields a view-only console whatever the page asks), none otherwise. Decided at ticket issue and
/// again when the ticket is redeemed, so a grant revoked in between is honoured.
/// </summary>
public sealed class ConsoleAccess(IAccessPolicy policy)
{
    public Task<ConsoleMode?> GetModeAsync(Actor actor, Guid hostId, Guid domainUuid, ConsoleMode requested, CancellationToken cancellationToken = default) =>
        GetModeAsync(policy.Prepare(actor, cancellationToken), hostId, domainUuid, requested);

    /// <summary>The mode from decisions prepared earlier (<see cref="IAccessPolicy.Prepare"/>), read alongside other work.</summary>
    public async Task<ConsoleMode?> GetModeAsync(Func<PortalAction, AccessTarget, Task<bool>> decisions, Guid hostId, Guid domainUuid, ConsoleMode requested)
    {
        var target = new AccessTarget(hostId, domainUuid);
        if (requested == ConsoleMode.Full && await decisions(PortalAction.OpenConsole, target))
            return ConsoleMode.Full;
        if (await decisions(PortalAction.OpenConsoleViewOnly, target))
            return ConsoleMode.ViewOnly;
        return null;
    }

    /// <summary>Starts reading the actor's grants for <see cref="GetModeAsync(Func{PortalAction, AccessTarget, Task{bool}}, Guid, Guid, ConsoleMode)"/>.</summary>
    public Func<PortalAction, AccessTarget, Task<bool>> Prepare(Actor actor, CancellationToken cancellationToken) => policy.Prepare(actor, cancellationToken);

    public static PortalAction PermissionOf(ConsoleMode mode) =>
        mode == ConsoleMode.Full ? PortalAction.OpenConsole : PortalAction.OpenConsoleViewOnly;
}
