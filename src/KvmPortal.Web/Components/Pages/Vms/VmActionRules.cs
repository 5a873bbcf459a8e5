using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Web.Components.Pages.Vms;

/// <summary>Which VM actions make sense in which state, and which need a confirmation because they can lose data.</summary>
public static class VmActionRules
{
    public static IReadOnlyList<VmAction> All { get; } =
        [VmAction.Start, VmAction.Shutdown, VmAction.Reboot, VmAction.ForceOff, VmAction.Pause, VmAction.Resume];

    public static bool IsEnabled(VmAction action, VmState state) => action switch
    {
        VmAction.Start => state is VmState.ShutOff or VmState.Crashed,
        VmAction.Shutdown or VmAction.Reboot or VmAction.Pause => state is VmState.Running,
        VmAction.ForceOff => state is VmState.Running or VmState.Paused,
        VmAction.Resume => state is VmState.Paused,
        _ => false,
    };

    /// <summary>As <see cref="IsEnabled(VmAction, VmState)"/>, and a template is never started.</summary>
    public static bool IsEnabled(VmAction action, VmInfo vm) => !(vm.Template && action == VmAction.Start) && IsEnabled(action, vm.State);

    public static bool NeedsConfirmation(VmAction action) =>
        action is VmAction.Shutdown or VmAction.Reboot or VmAction.ForceOff;

    public static string Icon(VmAction action) => action switch
    {
        VmAction.Start => MudBlazor.Icons.Material.Filled.PlayArrow,
        VmAction.Shutdown => MudBlazor.Icons.Material.Filled.PowerSettingsNew,
        VmAction.Reboot => MudBlazor.Icons.Material.Filled.RestartAlt,
        VmAction.ForceOff => MudBlazor.Icons.Material.Filled.PowerOff,
        VmAction.Pause => MudBlazor.Icons.Material.Filled.Pause,
        VmAction.Resume => MudBlazor.Icons.Material.Filled.PlayCircle,
        _ => MudBlazor.Icons.Material.Filled.QuestionMark,
    };

    /// <summary>The data-testid of the action's button, e.g. "vm-action-forceoff".</summary>
    public static string TestId(VmAction action) => "vm-action-" + action.ToString().ToLowerInvariant();
}
