namespace KvmPortal.Web.Data.Usage;

/// <summary>
/// One VM's usage over one bucket (5 minutes or 1 hour), aggregated from the finer level. Every field is a sum, a
/// maximum or a last value, so a coarser bucket is computed from finer ones exactly:
/// average CPU % = CpuTimeNs / (VcpuSeconds * 1e9) * 100; vCPU-hours = VcpuSeconds / 3600;
/// GiB-hours = MemoryKibSeconds / 1024² / 3600; average used memory = MemoryUsedKibSeconds / MemoryUsedSeconds.
/// </summary>
public abstract class VmUsageRollupRecord
{
    public Guid VmUuid { get; set; }
    public DateTimeOffset BucketStart { get; set; }
    public Guid HostId { get; set; }
    /// <summary>The team of the bucket's last sample.</summary>
    public Guid? TeamId { get; set; }
    public int Samples { get; set; }
    /// <summary>Sampled seconds in the bucket (sum of the samples' intervals).</summary>
    public double Seconds { get; set; }
    public long CpuTimeNs { get; set; }
    /// <summary>Highest CPU % of one raw sample (100 = every vCPU busy).</summary>
    public double CpuPercentPeak { get; set; }
    public double VcpuSeconds { get; set; }
    public double MemoryKibSeconds { get; set; }
    /// <summary>Highest allocated memory in the bucket.</summary>
    public long MemoryKibPeak { get; set; }
    public double MemoryUsedKibSeconds { get; set; }
    /// <summary>Seconds during which the guest reported its used memory.</summary>
    public double MemoryUsedSeconds { get; set; }
    public long? MemoryUsedKibPeak { get; set; }
    public long DiskReadBytes { get; set; }
    public long DiskWriteBytes { get; set; }
    public long DiskReadRequests { get; set; }
    public long DiskWriteRequests { get; set; }
    public long NetRxBytes { get; set; }
    public long NetTxBytes { get; set; }
    /// <summary>Disk capacity and allocation at the bucket's last sample.</summary>
    public long DiskCapacityBytes { get; set; }
    public long DiskAllocationBytes { get; set; }
}

public sealed class VmUsage5mRecord : VmUsageRollupRecord;

public sealed class VmUsage1hRecord : VmUsageRollupRecord;
