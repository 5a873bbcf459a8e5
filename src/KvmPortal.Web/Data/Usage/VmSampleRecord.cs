namespace KvmPortal.Web.Data.Usage;

/// <summary>
/// One VM's usage over one sampling interval (raw; kept for <c>KvmPortal:Usage:RawRetention</c>). Counters are the
/// amount used during the interval ending at <see cref="SampledAt"/>; gauges are the value at that moment.
/// <see cref="IntervalSeconds"/> is 0 for the first sample the recorder takes of a VM (nothing to compare with).
/// </summary>
public sealed class VmSampleRecord
{
    public Guid VmUuid { get; set; }
    public DateTimeOffset SampledAt { get; set; }
    public Guid HostId { get; set; }
    /// <summary>The owning team when sampled: usage stays with the team that had the VM at the time.</summary>
    public Guid? TeamId { get; set; }
    public double IntervalSeconds { get; set; }
    public long CpuTimeNs { get; set; }
    public int Vcpus { get; set; }
    public long MemoryKib { get; set; }
    /// <summary>Memory the guest uses (balloon driver's figures); null when the guest does not report it.</summary>
    public long? MemoryUsedKib { get; set; }
    public long DiskReadBytes { get; set; }
    public long DiskWriteBytes { get; set; }
    public long DiskReadRequests { get; set; }
    public long DiskWriteRequests { get; set; }
    public long NetRxBytes { get; set; }
    public long NetTxBytes { get; set; }
    public long DiskCapacityBytes { get; set; }
    public long DiskAllocationBytes { get; set; }
}
