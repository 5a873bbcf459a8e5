using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;

namespace KvmPortal.Web.Api;

/// <summary>
/// The caller's permissions for what the API reads straight from the inventory (lists); operations on the service
/// interfaces are checked by their access decorators.
/// </summary>
public sealed class ApiAccess(ICurrentActor actors, IAccessPolicy policy)
{
    public async Task<bool> AllowedAsync(PortalAction action, AccessTarget target, CancellationToken cancellationToken) =>
        await policy.IsAllowedAsync(await actors.GetAsync(cancellationToken), action, target, cancellationToken);

    public async Task DemandAsync(PortalAction action, AccessTarget target, CancellationToken cancellationToken) =>
        await policy.DemandAsync(await actors.GetAsync(cancellationToken), action, target, cancellationToken);

    public async Task<Func<VmKey, bool>> VmVisibilityAsync(CancellationToken cancellationToken) =>
        await policy.GetVmVisibilityAsync(await actors.GetAsync(cancellationToken), cancellationToken);
}
