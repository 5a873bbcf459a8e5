using KvmPortal.Hypervisor.Consoles.Screenshots;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Web.Access.Gated;

/// <summary>
/// <see cref="IVmScreenshots"/> behind the permission to watch the VM's console (view-only is enough): a screenshot shows
/// what the console would. A read: not audited.
/// </summary>
internal sealed class GatedVmScreenshots(IVmScreenshots inner, OperationGate gate) : IVmScreenshots
{
    public async Task<VmScreenshot> CaptureAsync(VmKey vm, CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.OpenConsoleViewOnly, AccessTarget.Of(vm), cancellationToken);
        return await inner.CaptureAsync(vm, cancellationToken);
    }
}
