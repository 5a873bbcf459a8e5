using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;

namespace KvmPortal.Web.Usage;

/// <summary>
/// <see cref="IUsageReports"/> over the usage history, checked against the user's grants as the circuit read them
/// (<see cref="IAccessViewSource"/>) before every read: the report is scoped to the teams the user may see usage of,
/// a VM's series needs the usage permission on its team, a host's needs the host list permission.
/// </summary>
public sealed class GrantScopedUsageReports(IUsageHistory history, IAccessViewSource access) : IUsageReports
{
    public async Task<UsageReport> ReportAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var view = await access.GetAsync(cancellationToken);
        var scope = UsageReportScope.Of(view.Grants) ?? throw Denied(PortalAction.ViewUsage);
        return await history.ReportAsync(new UsageReportQuery(from, to, scope.Teams), cancellationToken);
    }

    public async Task<UsageSeries> VmSeriesAsync(VmKey vm, UsagePeriod period, CancellationToken cancellationToken)
    {
        if (!(await access.GetAsync(cancellationToken)).Can(PortalAction.ViewUsage, vm))
            throw Denied(PortalAction.ViewUsage);
        return await history.VmSeriesAsync(vm.Uuid, period, cancellationToken);
    }

    public async Task<UsageSeries> HostSeriesAsync(Guid hostId, UsagePeriod period, CancellationToken cancellationToken)
    {
        await DemandHostsAsync(cancellationToken);
        return await history.HostSeriesAsync(hostId, period, cancellationToken);
    }

    public async Task<HostUsageNow?> HostLatestAsync(Guid hostId, CancellationToken cancellationToken)
    {
        await DemandHostsAsync(cancellationToken);
        return await history.HostLatestAsync(hostId, cancellationToken);
    }

    public async Task<bool> MayViewReportsAsync(CancellationToken cancellationToken) =>
        (await access.GetAsync(cancellationToken)).CanAnywhere(PortalAction.ViewUsage);

    private async Task DemandHostsAsync(CancellationToken cancellationToken)
    {
        if (!(await access.GetAsync(cancellationToken)).Can(PortalAction.ViewHosts))
            throw Denied(PortalAction.ViewHosts);
    }

    private static AccessDeniedException Denied(PortalAction action) => new(action, $"Not allowed: {action}.");
}
