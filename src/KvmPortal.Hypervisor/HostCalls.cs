using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor;

/// <summary>Runs a blocking libvirt call on a host's session and turns libvirt's failures into user-facing errors.</summary>
internal static class HostCalls
{
    public static HostSession Session(HostManager hosts, Guid hostId) =>
        hosts.Find(hostId) ?? throw new HypervisorException("The host is not known to the dashboard (was it removed?).")
        {
            Kind = HypervisorErrorKind.HostUnknown,
        };

    public static async Task<T> CallAsync<T>(HostSession session, string what, Func<Connection, T> call, CancellationToken cancellationToken)
    {
        try
        {
            return await session.CallAsync(call, cancellationToken);
        }
        catch (LibvirtException e)
        {
            throw LibvirtErrors.ToUserError(e, what, session.Host.Name);
        }
        catch (ObjectDisposedException e)
        {
            throw new HypervisorException($"{what} failed: host {session.Host.Name} went offline.", null, e)
            {
                Kind = HypervisorErrorKind.HostWentOffline,
                Arguments = [session.Host.Name],
            };
        }
    }
}
