using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Web.Usage;

/// <summary>
/// Usage history for the current user: every read checks the usage permission on the server first. The pages use
/// this, never <see cref="IUsageHistory"/> directly.
/// </summary>
public interface IUsageReports
{
    /// <summary>The report over [from, to) of the VMs the user may see usage of; <see cref="Access.AccessDeniedException"/> when none.</summary>
    Task<UsageReport> ReportAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    Task<UsageSeries> VmSeriesAsync(VmKey vm, UsagePeriod period, CancellationToken cancellationToken);

    Task<UsageSeries> HostSeriesAsync(Guid hostId, UsagePeriod period, CancellationToken cancellationToken);

    Task<HostUsageNow?> HostLatestAsync(Guid hostId, CancellationToken cancellationToken);

    /// <summary>Whether the user may read any usage report at all.</summary>
    Task<bool> MayViewReportsAsync(CancellationToken cancellationToken);
}
