namespace KvmPortal.Web.Data.Usage;

/// <summary>
/// One host's CPU and memory over one sampling interval (raw). CPU figures are nanoseconds over all CPUs during
/// the interval: CPU % = CpuBusyNs / CpuTotalNs * 100.
/// </summary>
public sealed class HostSampleRecord
{
    public Guid HostId { get; set; }
    public DateTimeOffset SampledAt { get; set; }
    public double IntervalSeconds { get; set; }
    public int Cpus { get; set; }
    public long CpuBusyNs { get; set; }
    public long CpuTotalNs { get; set; }
    public long MemoryTotalKib { get; set; }
    public long MemoryUsedKib { get; set; }
}

/// <summary>One host's usage over a 5-minute or 1-hour bucket; sums, peaks and last values as for VMs.</summary>
public abstract class HostUsageRollupRecord
{
    public Guid HostId { get; set; }
    public DateTimeOffset BucketStart { get; set; }
    public int Samples { get; set; }
    public double Seconds { get; set; }
    public long CpuBusyNs { get; set; }
    public long CpuTotalNs { get; set; }
    public double CpuPercentPeak { get; set; }
    public long MemoryTotalKib { get; set; }
    public double MemoryUsedKibSeconds { get; set; }
    public long MemoryUsedKibPeak { get; set; }
}

public sealed class HostUsage5mRecord : HostUsageRollupRecord;

public sealed class HostUsage1hRecord : HostUsageRollupRecord;
