using System.Diagnostics;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Libvirt;
using Microsoft.Extensions.Logging;

namespace KvmPortal.Hypervisor;

/// <summary>
/// Runs a blocking libvirt call on a host's session and turns libvirt's failures into user-facing errors. Every call
/// is timed (<see cref="HypervisorMetrics.LibvirtCallDuration"/>) and runs in a log scope naming the operation, host
/// and VM, so each log line written during it carries them.
/// </summary>
internal static class HostCalls
{
    public static HostSession Session(HostManager hosts, Guid hostId) =>
        hosts.Find(hostId) ?? throw new HypervisorException("The host is not known to the dashboard (was it removed?).")
        {
            Kind = HypervisorErrorKind.HostUnknown,
        };

    public static async Task<T> CallAsync<T>(HostSession session, HostCall what, Func<Connection, T> call, CancellationToken cancellationToken)
    {
        using var scope = session.Logger.BeginScope(new Dictionary<string, object?>
        {
            ["Operation"] = what.Operation,
            ["Host"] = session.Host.Name,
            ["Vm"] = what.Vm,
        });
        var started = Stopwatch.GetTimestamp();
        var outcome = "error";
        try
        {
            var result = await session.CallAsync(call, cancellationToken);
            outcome = "ok";
            return result;
        }
        catch (LibvirtException e)
        {
            session.Logger.LogWarning("{Description} failed: {Error}", what.Description, e.Message);
            throw LibvirtErrors.ToUserError(e, what.Description, session.Host.Name);
        }
        catch (ObjectDisposedException e)
        {
            session.Logger.LogWarning("{Description} failed: the host went offline", what.Description);
            throw new HypervisorException($"{what.Description} failed: host {session.Host.Name} went offline.", null, e)
            {
                Kind = HypervisorErrorKind.HostWentOffline,
                Arguments = [session.Host.Name],
            };
        }
        finally
        {
            HypervisorMetrics.LibvirtCallDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new("operation", what.Operation), new("host", session.Host.Name), new("outcome", outcome));
        }
    }
}
