using KvmPortal.Hypervisor.Usage;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Data.Usage;

namespace KvmPortal.Web.Usage.Recording;

/// <summary>
/// Turns the sessions' cumulative counters into per-interval figures, remembering each host's previous recorded
/// sample. A VM (or host) seen for the first time gets IntervalSeconds 0 and zero counters; a counter that went down
/// means the VM (or host) restarted, so the new value is what was used since. A sample becomes the baseline only when
/// its interval was written (<see cref="Remember"/>), so an interval that failed to land is counted in the next one.
/// Not thread-safe: one writer loop owns it.
/// </summary>
public sealed class UsageDeltas
{
    private readonly Dictionary<Guid, Previous> _hosts = [];

    /// <summary>The interval from the host's baseline to this sample; the baseline stays until <see cref="Remember"/>.</summary>
    public UsageInterval Measure(HostUsageSample sample, Func<VmKey, Guid?> teamOf)
    {
        var had = _hosts.TryGetValue(sample.HostId, out var previous);
        var before = had ? previous!.Vms : new Dictionary<Guid, VmUsageCounters>();
        var seconds = had ? Math.Max(0, (sample.SampledAt - previous!.At).TotalSeconds) : 0;

        var vms = new List<RecordedVm>(sample.Vms.Count);
        foreach (var vm in sample.Vms)
        {
            var last = before.GetValueOrDefault(vm.Uuid);
            var record = last is null ? First(vm) : Since(vm, last, seconds);
            record.VmUuid = vm.Uuid;
            record.SampledAt = sample.SampledAt;
            record.HostId = sample.HostId;
            record.TeamId = teamOf(new VmKey(sample.HostId, vm.Uuid));
            vms.Add(new RecordedVm(record, vm.Name));
        }

        var host = sample.Host is { } counters ? HostRecord(sample, counters, had ? previous!.Host : null, seconds) : null;
        return new UsageInterval(sample.HostId, sample.SampledAt, host, vms);
    }

    /// <summary>Makes the sample the host's baseline: its interval has been recorded.</summary>
    public void Remember(HostUsageSample sample) =>
        _hosts[sample.HostId] = new Previous(sample.SampledAt, sample.Host, sample.Vms.ToDictionary(vm => vm.Uuid));

    /// <summary>When the host's baseline was sampled, if it has one.</summary>
    public DateTimeOffset? BaselineOf(Guid hostId) => _hosts.TryGetValue(hostId, out var previous) ? previous.At : null;

    /// <summary>Forgets a host's previous sample: its next one starts afresh (e.g. after another instance recorded it).</summary>
    public void Forget(Guid hostId) => _hosts.Remove(hostId);

    private static VmSampleRecord First(VmUsageCounters vm) => Gauges(vm, new VmSampleRecord());

    private static VmSampleRecord Since(VmUsageCounters vm, VmUsageCounters last, double seconds) => Gauges(vm, new VmSampleRecord
    {
        IntervalSeconds = seconds,
        CpuTimeNs = Delta(vm.CpuTimeNs, last.CpuTimeNs),
        DiskReadBytes = Delta(vm.DiskReadBytes, last.DiskReadBytes),
        DiskWriteBytes = Delta(vm.DiskWriteBytes, last.DiskWriteBytes),
        DiskReadRequests = Delta(vm.DiskReadRequests, last.DiskReadRequests),
        DiskWriteRequests = Delta(vm.DiskWriteRequests, last.DiskWriteRequests),
        NetRxBytes = Delta(vm.NetRxBytes, last.NetRxBytes),
        NetTxBytes = Delta(vm.NetTxBytes, last.NetTxBytes),
    });

    private static VmSampleRecord Gauges(VmUsageCounters vm, VmSampleRecord record)
    {
        record.Vcpus = vm.Vcpus;
        record.MemoryKib = Clamp(vm.MemoryKib);
        record.MemoryUsedKib = vm.MemoryUsedKib is { } used ? Clamp(used) : null;
        record.DiskCapacityBytes = Clamp(vm.DiskCapacityBytes);
        record.DiskAllocationBytes = Clamp(vm.DiskAllocationBytes);
        return record;
    }

    private static HostSampleRecord HostRecord(HostUsageSample sample, HostResourceCounters now, HostResourceCounters? last, double seconds)
    {
        var record = new HostSampleRecord
        {
            HostId = sample.HostId,
            SampledAt = sample.SampledAt,
            Cpus = now.Cpus,
            MemoryTotalKib = Clamp(now.MemoryTotalKib),
            MemoryUsedKib = Clamp(now.MemoryTotalKib > now.MemoryAvailableKib ? now.MemoryTotalKib - now.MemoryAvailableKib : 0),
        };
        if (last is null) return record;
        record.IntervalSeconds = seconds;
        record.CpuBusyNs = Delta(now.CpuBusyNs, last.CpuBusyNs);
        record.CpuTotalNs = record.CpuBusyNs + Delta(now.CpuIdleNs, last.CpuIdleNs);
        return record;
    }

    private static long Delta(ulong now, ulong before) => Clamp(now >= before ? now - before : now);

    private static long Clamp(ulong value) => value > long.MaxValue ? long.MaxValue : (long)value;

    private sealed record Previous(DateTimeOffset At, HostResourceCounters? Host, Dictionary<Guid, VmUsageCounters> Vms);
}
