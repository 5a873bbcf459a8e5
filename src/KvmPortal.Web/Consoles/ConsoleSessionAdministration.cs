using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Audit;
using KvmPortal.Web.Data;

namespace KvmPortal.Web.Consoles;

/// <summary>
/// The console registry for administrators: who has which console open, the recent ones, and disconnecting one.
/// The grant is checked on the server on every call (not the sign-in cookie's role, which lags until revalidation),
/// and a disconnect is audited.
/// </summary>
public sealed class ConsoleSessionAdministration(OperationGate gate, ConsoleSessions sessions, ConsoleHistory history, AuditTargets targets)
{
    public const string DisconnectAction = "console.disconnect";

    /// <summary>The open sessions of this instance; <see cref="AccessDeniedException"/> for anyone but a global administrator.</summary>
    public async Task<IReadOnlyList<LiveConsoleSession>> OpenAsync(CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.ViewAudit, AccessTarget.Global, cancellationToken);
        return sessions.Open;
    }

    public async Task<IReadOnlyList<ConsoleSessionRecord>> RecentAsync(int count, CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.ViewAudit, AccessTarget.Global, cancellationToken);
        return await history.RecentAsync(count, cancellationToken);
    }

    /// <summary>Ends another user's console; false (and audited as failed) when it had ended already.</summary>
    public Task<bool> DisconnectAsync(LiveConsoleSession session, CancellationToken cancellationToken = default) =>
        gate.RunAsync(
            new GatedOperation(PortalAction.ManageUsers, DisconnectAction, AccessTarget.Global,
                targets.Vm(new VmKey(session.HostId, session.DomainUuid)), new { session = session.Id, user = session.UserName, kind = session.Kind }),
            () => Task.FromResult(sessions.Disconnect(session.Id)), cancellationToken,
            failureOf: disconnected => disconnected ? null : "The session had ended already.");
}
