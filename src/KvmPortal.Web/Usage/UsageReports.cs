using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Web.Usage;

/// <summary>
/// Usage history for the current actor: every read checks the permission first (<see cref="UsageReportAccess"/>).
/// Pages, the CSV export and the API use this, never <see cref="IUsageHistory"/> directly.
/// </summary>
public sealed class UsageReports(UsageReportAccess access, IUsageHistory history) : IUsageReports
{
    /// <summary>The report over [from, to) of the VMs the actor may see usage of.</summary>
    public async Task<UsageReport> ReportAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        await history.ReportAsync(await access.ScopeAsync(from, to, cancellationToken), cancellationToken);

    public async Task<UsageSeries> VmSeriesAsync(VmKey vm, UsagePeriod period, CancellationToken cancellationToken)
    {
        await access.DemandVmAsync(vm, cancellationToken);
        return await history.VmSeriesAsync(vm.Uuid, period, cancellationToken);
    }

    public async Task<UsageSeries> HostSeriesAsync(Guid hostId, UsagePeriod period, CancellationToken cancellationToken)
    {
        await access.DemandHostAsync(hostId, cancellationToken);
        return await history.HostSeriesAsync(hostId, period, cancellationToken);
    }

    public async Task<HostUsageNow?> HostLatestAsync(Guid hostId, CancellationToken cancellationToken)
    {
        await access.DemandHostAsync(hostId, cancellationToken);
        return await history.HostLatestAsync(hostId, cancellationToken);
    }

    public Task<bool> MayViewReportsAsync(CancellationToken cancellationToken) => access.MayViewReportsAsync(cancellationToken);
}
