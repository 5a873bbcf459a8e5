using KvmPortal.Hypervisor.Consoles;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;

namespace KvmPortal.Web.Consoles;

/// <summary>
/// A VM's serial devices for the serial console page, shown only to whoever may open that VM's console (full or
/// view-only: the grant that opens it), checked here rather than trusting the page to have asked for a ticket first.
/// </summary>
public sealed class SerialDeviceList(ICurrentActor actors, ConsoleAccess access, ISerialConsoles consoles)
{
    public async Task<IReadOnlyList<SerialDevice>> ListAsync(VmKey vm, CancellationToken cancellationToken = default)
    {
        var actor = await actors.GetAsync(cancellationToken);
        if (await access.GetModeAsync(actor, vm.HostId, vm.Uuid, ConsoleMode.ViewOnly, cancellationToken) is null)
            throw new AccessDeniedException(PortalAction.OpenConsoleViewOnly, $"{actor.UserName} may not open this VM's console.");
        return await consoles.ListDevicesAsync(vm, cancellationToken);
    }
}
