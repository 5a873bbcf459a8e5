using KvmPortal.Hypervisor.Vms;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Usage;

/// <summary>Builds a <see cref="HostUsageSample"/> from one bulk stats listing and the node's CPU and memory stats.</summary>
public static class UsageSampleReader
{
    public static HostUsageSample Read(
        Guid hostId, DateTimeOffset sampledAt, IReadOnlyList<DomainStatsRecord> records, HostResourceCounters? host) =>
        new(hostId, sampledAt, host, [.. records.Where(IsActive).Select(ReadVm)]);

    /// <summary>
    /// The host's counters from virNodeGetCPUStats and virNodeGetMemoryStats (all CPUs, all cells). Busy is kernel +
    /// user time; I/O wait counts as idle, as in top. Available memory is free + buffers + cached.
    /// </summary>
    public static HostResourceCounters ReadHost(int cpus, IReadOnlyDictionary<string, ulong> cpu, IReadOnlyDictionary<string, ulong> memory)
    {
        var free = memory.GetValueOrDefault("free") + memory.GetValueOrDefault("buffers") + memory.GetValueOrDefault("cached");
        return new HostResourceCounters(
            cpus,
            cpu.GetValueOrDefault("kernel") + cpu.GetValueOrDefault("user"),
            cpu.GetValueOrDefault("idle") + cpu.GetValueOrDefault("iowait"),
            memory.GetValueOrDefault("total"),
            free);
    }

    private static bool IsActive(DomainStatsRecord record) =>
        record.Values.TryGetValue("state.state", out var state) && VmStates.IsActive(VmStates.From((DomainState)Convert.ToInt32(state)));

    private static VmUsageCounters ReadVm(DomainStatsRecord record)
    {
        var values = record.Values;
        var available = Number(values, "balloon.available");
        var unused = Number(values, "balloon.unused");
        ulong? used = available is { } a && unused is { } u && a >= u ? a - u : null;
        return new VmUsageCounters(
            record.Uuid,
            record.Name,
            Number(values, "cpu.time") ?? 0,
            (int)(Number(values, "vcpu.current") ?? 0),
            Number(values, "balloon.current") ?? Number(values, "balloon.maximum") ?? 0,
            used,
            Sum(values, "block", "rd.bytes"),
            Sum(values, "block", "wr.bytes"),
            Sum(values, "block", "rd.reqs"),
            Sum(values, "block", "wr.reqs"),
            Sum(values, "block", "capacity"),
            Sum(values, "block", "allocation"),
            Sum(values, "net", "rx.bytes"),
            Sum(values, "net", "tx.bytes"));
    }

    /// <summary>Adds up "{group}.N.{field}" for N below "{group}.count".</summary>
    private static ulong Sum(IReadOnlyDictionary<string, object> values, string group, string field)
    {
        var count = Number(values, $"{group}.count") ?? 0;
        ulong total = 0;
        for (ulong i = 0; i < count; i++)
            total += Number(values, $"{group}.{i}.{field}") ?? 0;
        return total;
    }

    private static ulong? Number(IReadOnlyDictionary<string, object> values, string key) =>
        values.TryGetValue(key, out var value) ? value switch
        {
            ulong u => u,
            long l when l >= 0 => (ulong)l,
            uint u => u,
            int i when i >= 0 => (ulong)i,
            double d when d >= 0 => (ulong)d,
            _ => null,
        } : null;
}
