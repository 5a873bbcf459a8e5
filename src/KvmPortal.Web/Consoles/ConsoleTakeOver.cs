using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;

namespace KvmPortal.Web.Consoles;

/// <summary>
/// Taking over a console other users hold in full mode: their sessions are ended (each is told who took it over)
/// so the taker can work alone. Needs the full console permission on the VM and is audited, refusals too. The
/// taker's own connection then goes through the usual ticket, admission and session limit.
/// </summary>
public sealed class ConsoleTakeOver(OperationGate gate, ConsoleSessions sessions, AuditTargets targets)
{
    public const string Action = "console.takeover";

    /// <summary>Other users' full sessions of the VM's console, for the page to offer a take-over or a view-only join.</summary>
    public async Task<IReadOnlyList<LiveConsoleSession>> HoldersAsync(VmKey vm, ConsoleKind kind, CancellationToken cancellationToken = default)
    {
        var actor = await gate.GetActorAsync(PortalAction.OpenConsole, cancellationToken);
        return sessions.HeldByOthers(actor.UserId, vm.HostId, vm.Uuid, kind);
    }

    /// <summary>Ends the other users' full sessions of the console; returns how many were ended.</summary>
    public async Task<int> TakeOverAsync(VmKey vm, ConsoleKind kind, CancellationToken cancellationToken = default)
    {
        var actor = await gate.GetActorAsync(PortalAction.OpenConsole, cancellationToken);
        var holders = sessions.HeldByOthers(actor.UserId, vm.HostId, vm.Uuid, kind);
        return await gate.RunAsync(
            new GatedOperation(PortalAction.OpenConsole, Action, AccessTarget.Of(vm), targets.Vm(vm),
                new { kind = kind.ToString().ToLowerInvariant(), users = holders.Select(h => h.UserName).Distinct().ToList(), sessions = holders.Select(h => h.Id).ToList() }),
            () => Task.FromResult(holders.Count(h => sessions.TakeOver(h.Id, actor.UserName))), cancellationToken);
    }
}
