using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Components.Shared;
using KvmPortal.Web.Localization;
using KvmPortal.Web.Resources;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace KvmPortal.Web.Components.Pages.Vms;

/// <summary>
/// Runs a VM action for a page the way the user expects: asks first when it can lose data, and tells in a snackbar
/// why it failed. The VMs it is running on are <see cref="IsBusy"/> meanwhile.
/// </summary>
public sealed class VmActionRunner(IVmOperations operations, IDialogService dialogs, ISnackbar snackbar, IStringLocalizer<Strings> text)
{
    private readonly HashSet<VmKey> busy = [];

    public bool IsBusy(VmKey vm) => busy.Contains(vm);

    public async Task RunAsync(VmInfo vm, VmAction action)
    {
        if (VmActionRules.NeedsConfirmation(action))
        {
            var confirmed = await ConfirmDialog.AskAsync(dialogs, text[$"VmAction{action}"],
                text[$"VmConfirm{action}", vm.Name], text[$"VmAction{action}"]);
            if (!confirmed)
                return;
        }

        busy.Add(vm.Key);
        try
        {
            await operations.ExecuteAsync(vm.Key, action);
        }
        catch (HypervisorException e)
        {
            snackbar.Add(ErrorMessages.Describe(text, e, text["VmOperation", text[$"VmAction{action}"], vm.Name]), Severity.Error);
        }
        catch (AccessDeniedException)
        {
            snackbar.Add(text["AccessDenied"], Severity.Error);
        }
        finally
        {
            busy.Remove(vm.Key);
        }
    }
}
