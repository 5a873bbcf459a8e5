using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;

namespace KvmPortal.Web.Tests.Fakes;

/// <summary>The access view a component test renders with; a global Administrator unless the test sets another.</summary>
public sealed class FixedAccessViewSource : IAccessViewSource
{
    public static AccessView Administrator { get; } = new([new RoleGrant(PortalRole.Administrator, null)], new Dictionary<VmKey, Guid>());

    public AccessView View { get; set; } = Administrator;

    public Task<AccessView> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(View);

    public void Invalidate()
    {
    }
}
