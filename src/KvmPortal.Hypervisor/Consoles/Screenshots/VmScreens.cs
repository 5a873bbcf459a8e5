using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Hypervisor.Consoles.Screenshots;

/// <summary>Which VMs have a screen to show, and how long one screenshot serves every viewer.</summary>
public static class VmScreens
{
    public static readonly TimeSpan ScreenshotFreshFor = TimeSpan.FromSeconds(3);

    /// <summary>Whether a VM in this state has a screen (it is running in some way): consoles and screenshots.</summary>
    public static bool HasScreen(VmState state) =>
        state is VmState.Running or VmState.Paused or VmState.Blocked or VmState.ShuttingDown;
}
