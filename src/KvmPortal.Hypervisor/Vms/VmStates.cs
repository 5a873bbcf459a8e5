using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Vms;

internal static class VmStates
{
    public static VmState From(DomainState state) => state switch
    {
        DomainState.Running => VmState.Running,
        DomainState.Blocked => VmState.Blocked,
        DomainState.Paused => VmState.Paused,
        DomainState.Shutdown => VmState.ShuttingDown,
        DomainState.Shutoff => VmState.ShutOff,
        DomainState.Crashed => VmState.Crashed,
        DomainState.PmSuspended => VmState.Suspended,
        _ => VmState.NoState,
    };

    /// <summary>States in which the guest's QEMU process exists (so it has an uptime and CPU use).</summary>
    public static bool IsActive(VmState state) =>
        state is VmState.Running or VmState.Blocked or VmState.Paused or VmState.ShuttingDown or VmState.Suspended;
}
