using System.Diagnostics;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Vms;

/// <summary>
/// Turns libvirt's view of a domain (bulk stats records, or one domain after an event) into list rows.
/// Keeps each VM's previous CPU time so CPU % is the share of its vCPUs used since the last sample.
/// </summary>
internal sealed class VmInfoBuilder(Guid hostId, Func<string, DateTimeOffset?> processStartTime, TimeProvider clock)
{
    private readonly Dictionary<Guid, (ulong CpuTimeNs, long Timestamp)> _lastCpu = [];

    public VmInfo FromStats(DomainStatsRecord record, VmInfo? previous, bool persistent)
    {
        var values = record.Values;
        var state = values.TryGetValue("state.state", out var s) ? VmStates.From((DomainState)Convert.ToInt32(s)) : VmState.NoState;
        var vcpus = values.TryGetValue("vcpu.current", out var v) ? Convert.ToInt32(v) : previous?.VCpus ?? 0;
        var memoryKiB = values.TryGetValue("balloon.current", out var m) ? Convert.ToUInt64(m)
            : values.TryGetValue("balloon.maximum", out var max) ? Convert.ToUInt64(max) : 0;
        double? cpuPercent = values.TryGetValue("cpu.time", out var t) && VmStates.IsActive(state)
            ? CpuPercent(record.Uuid, Convert.ToUInt64(t), vcpus) : Forget(record.Uuid);

        return new VmInfo(hostId, record.Uuid, record.Name, state, vcpus,
            memoryKiB > 0 ? memoryKiB * 1024 : previous?.MemoryBytes ?? 0,
            cpuPercent, RunningSince(record.Name, state, previous), persistent) { Template = previous?.Template ?? false };
    }

    public VmInfo FromDomain(Domain domain, VmInfo? previous)
    {
        var info = domain.GetInfo();
        var state = VmStates.From(info.State);
        var active = VmStates.IsActive(state);
        if (!active) Forget(domain.Uuid);
        return new VmInfo(hostId, domain.Uuid, domain.Name, state, info.VirtCpus,
            (info.MemoryKiB > 0 ? info.MemoryKiB : info.MaxMemoryKiB) * 1024,
            active ? previous?.CpuPercent : null, RunningSince(domain.Name, state, previous), domain.IsPersistent)
        {
            Template = Templates.VmTemplateTag.IsTemplate(domain),
        };
    }

    public static VmInfo AsUnknown(VmInfo vm) => vm with { State = VmState.Unknown, CpuPercent = null };

    private DateTimeOffset? RunningSince(string name, VmState state, VmInfo? previous)
    {
        if (!VmStates.IsActive(state)) return null;
        if (previous is not null && VmStates.IsActive(previous.State)) return previous.RunningSince;
        // Seen starting now (previous was off), or first seen: ask the host when its QEMU process started.
        return processStartTime(name) ?? (previous is { State: not VmState.Unknown } ? clock.GetUtcNow() : null);
    }

    private double? CpuPercent(Guid uuid, ulong cpuTimeNs, int vcpus)
    {
        var now = clock.GetTimestamp();
        var had = _lastCpu.TryGetValue(uuid, out var last);
        _lastCpu[uuid] = (cpuTimeNs, now);
        if (!had || vcpus <= 0 || cpuTimeNs < last.CpuTimeNs) return null;

        var elapsedNs = clock.GetElapsedTime(last.Timestamp, now).TotalNanoseconds;
        if (elapsedNs <= 0) return null;
        return Math.Clamp((cpuTimeNs - last.CpuTimeNs) / elapsedNs / vcpus * 100, 0, 100);
    }

    private double? Forget(Guid uuid)
    {
        _lastCpu.Remove(uuid);
        return null;
    }
}
