namespace KvmPortal.Web.Usage;

/// <summary>
/// Reads usage history from the sample and rollup tables. No permission checks here: callers scope the request
/// (see the usage report access in this folder) before asking.
/// </summary>
public interface IUsageHistory
{
    /// <summary>
    /// One VM's chart over the period ending now: raw samples for an hour, 5-minute buckets for a day, hourly
    /// buckets for a week or a month; the stretch not yet rolled up comes from the finer table.
    /// </summary>
    Task<UsageSeries> VmSeriesAsync(Guid vmUuid, UsagePeriod period, CancellationToken cancellationToken);

    /// <summary>One host's CPU and memory over the period ending now, chosen as for VMs.</summary>
    Task<UsageSeries> HostSeriesAsync(Guid hostId, UsagePeriod period, CancellationToken cancellationToken);

    /// <summary>The host's latest recorded sample; null when none was recorded in the last few intervals.</summary>
    Task<HostUsageNow?> HostLatestAsync(Guid hostId, CancellationToken cancellationToken);

    /// <summary>Per-VM and per-team totals over [From, To), from hourly buckets (plus finer tables for the recent tail).</summary>
    Task<UsageReport> ReportAsync(UsageReportQuery query, CancellationToken cancellationToken);
}

public enum UsagePeriod { Hour, Day, Week, Month }

/// <summary>A chart's points, oldest first, one per <see cref="Resolution"/>; missing stretches have no points.</summary>
public sealed record UsageSeries(UsagePeriod Period, TimeSpan Resolution, IReadOnlyList<UsagePoint> Points);

/// <summary>
/// One chart point (the bucket's average; CPU % of all of the VM's vCPUs or of all host CPUs). Memory in KiB:
/// allocated, and used when the guest (or host) reports it.
/// </summary>
public sealed record UsagePoint(
    DateTimeOffset At,
    double CpuPercent,
    double CpuPercentPeak,
    long MemoryKib,
    long? MemoryUsedKib,
    double DiskReadBytesPerSecond,
    double DiskWriteBytesPerSecond,
    double NetRxBytesPerSecond,
    double NetTxBytesPerSecond);

public sealed record HostUsageNow(DateTimeOffset SampledAt, int Cpus, double CpuPercent, long MemoryTotalKib, long MemoryUsedKib);

/// <summary>
/// A report request. <see cref="Teams"/> null means every team and every unowned VM (global viewers); otherwise
/// only those teams' VMs (attributed by the team that owned the VM when it was sampled).
/// </summary>
public sealed record UsageReportQuery(DateTimeOffset From, DateTimeOffset To, IReadOnlyCollection<Guid>? Teams);

public sealed record UsageReport(
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<VmUsageLine> Vms,
    IReadOnlyList<TeamUsageTotal> Teams);

/// <summary>
/// One VM's usage in a report. Disk figures are the last sample's in the period. Idle: average and peak CPU below
/// the idle threshold for the whole period. Oversized: peak CPU and peak used memory far below the allocation.
/// </summary>
public sealed record VmUsageLine(
    Guid VmUuid,
    string VmName,
    Guid HostId,
    string? HostName,
    Guid? TeamId,
    string? TeamName,
    double VcpuHours,
    double MemoryGibHours,
    long DiskAllocatedBytes,
    long DiskUsedBytes,
    double CpuAveragePercent,
    double CpuPeakPercent,
    long MemoryAllocatedKib,
    long? MemoryPeakUsedKib,
    bool Idle,
    bool Oversized);

/// <summary>A team's totals (TeamId null: VMs of no team); CPU average weighted by vCPU time.</summary>
public sealed record TeamUsageTotal(
    Guid? TeamId,
    string? TeamName,
    int Vms,
    double VcpuHours,
    double MemoryGibHours,
    long DiskAllocatedBytes,
    long DiskUsedBytes,
    double CpuAveragePercent,
    double CpuPeakPercent,
    int IdleVms,
    int OversizedVms);
