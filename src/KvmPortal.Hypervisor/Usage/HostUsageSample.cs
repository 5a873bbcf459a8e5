namespace KvmPortal.Hypervisor.Usage;

/// <summary>
/// What one host's sampler read in one round: the host's own CPU and memory counters and every domain's usage
/// counters, from one virConnectGetAllDomainStats call. Counters are cumulative (as libvirt reports them); turning
/// them into per-interval figures is the recorder's job, which knows the previous sample it stored.
/// </summary>
public sealed record HostUsageSample(
    Guid HostId,
    DateTimeOffset SampledAt,
    HostResourceCounters? Host,
    IReadOnlyList<VmUsageCounters> Vms);

/// <summary>
/// The host's CPU time over all CPUs (virNodeGetCPUStats) and memory (virNodeGetMemoryStats); null in a sample when
/// the driver does not report them (the test driver).
/// </summary>
public sealed record HostResourceCounters(
    int Cpus,
    ulong CpuBusyNs,
    ulong CpuIdleNs,
    ulong MemoryTotalKib,
    ulong MemoryAvailableKib);

/// <summary>
/// One domain's usage counters. Only active (running or paused) domains are sampled: a shut-off VM uses nothing.
/// Disk and network counters are summed over the VM's disks and interfaces.
/// </summary>
public sealed record VmUsageCounters(
    Guid Uuid,
    string Name,
    ulong CpuTimeNs,
    int Vcpus,
    ulong MemoryKib,
    ulong? MemoryUsedKib,
    ulong DiskReadBytes,
    ulong DiskWriteBytes,
    ulong DiskReadRequests,
    ulong DiskWriteRequests,
    ulong DiskCapacityBytes,
    ulong DiskAllocationBytes,
    ulong NetRxBytes,
    ulong NetTxBytes);
