using KvmPortal.Hypervisor.Inventory;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KvmPortal.Web.Observability;

/// <summary>
/// Reports each libvirt host's status. Always healthy: an offline hypervisor is the hypervisor's problem, and the
/// dashboard serves its other hosts (and explains the offline one) meanwhile.
/// </summary>
public sealed class HostsHealthCheck(IInventory inventory) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var hosts = inventory.Current.Hosts.Values
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToDictionary(h => h.Name, h => (object)h.Status.ToString().ToLowerInvariant());
        var online = hosts.Values.Count(s => (string)s == "online");
        return Task.FromResult(HealthCheckResult.Healthy($"{online} of {hosts.Count} hosts online.", hosts));
    }
}
