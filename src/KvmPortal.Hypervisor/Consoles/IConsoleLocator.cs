using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Hypervisor.Consoles;

/// <summary>Where the console proxy connects for a VM; found on the server only, from the domain's live XML.</summary>
public interface IConsoleLocator
{
    Task<VncEndpoint> LocateVncAsync(VmKey vm, CancellationToken cancellationToken = default);
}
