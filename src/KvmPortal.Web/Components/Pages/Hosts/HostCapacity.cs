using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Usage;

namespace KvmPortal.Web.Components.Pages.Hosts;

/// <summary>Allocated to the running VMs and to all defined VMs, against a total.</summary>
public sealed record Allocation<T>(T Total, T Running, T Defined);

/// <summary>The pools' sizes summed over the running pools (an inactive pool reports nothing).</summary>
public sealed record StorageTotals(ulong CapacityBytes, ulong AllocationBytes, ulong AvailableBytes)
{
    public static StorageTotals Of(IEnumerable<StoragePoolSummary> pools)
    {
        var running = pools.Where(p => p.State == PoolState.Running).ToList();
        return new(Sum(running, p => p.CapacityBytes), Sum(running, p => p.AllocationBytes), Sum(running, p => p.AvailableBytes));
    }

    private static ulong Sum(IEnumerable<StoragePoolSummary> pools, Func<StoragePoolSummary, ulong> size) =>
        pools.Aggregate(0UL, (sum, pool) => sum + size(pool));
}

/// <summary>
/// A host's capacity against what its VMs are given and what is used, from the inventory and the latest recorded
/// host sample. No rendering involved.
/// </summary>
public sealed record HostCapacity(
    Allocation<int> Cpus,
    Allocation<ulong> MemoryBytes,
    double? CpuUsedPercent,
    ulong? MemoryUsedBytes,
    IReadOnlyList<VmInfo> TopByCpu,
    IReadOnlyList<VmInfo> TopByMemory)
{
    public const int TopCount = 5;

    /// <summary>vCPUs per host CPU, for the running VMs and for all defined VMs; null without a CPU count.</summary>
    public (double Running, double Defined)? CpuOvercommit => Ratio(Cpus.Running, Cpus.Defined, Cpus.Total);

    /// <summary>Memory given to VMs per byte of host memory, running and all defined.</summary>
    public (double Running, double Defined)? MemoryOvercommit => Ratio(MemoryBytes.Running, MemoryBytes.Defined, MemoryBytes.Total);

    /// <summary>
    /// The capacity of <paramref name="host"/>. Allocations count every VM on the host (the host's load does not depend
    /// on who may see it); the top consumers list only the VMs <paramref name="visible"/> lets the user see.
    /// </summary>
    public static HostCapacity Of(HostInfo host, InventorySnapshot snapshot, HostUsageNow? usage, Func<VmKey, bool> visible)
    {
        var vms = snapshot.Vms.Values.Where(v => v.HostId == host.Id).ToList();
        var running = vms.Where(v => v.State == VmState.Running).ToList();
        var caps = host.Capabilities;
        var shown = running.Where(v => visible(v.Key)).ToList();
        return new HostCapacity(
            new Allocation<int>(caps?.Cpus ?? usage?.Cpus ?? 0, running.Sum(v => v.VCpus), vms.Sum(v => v.VCpus)),
            new Allocation<ulong>(caps?.MemoryBytes ?? (ulong)((usage?.MemoryTotalKib ?? 0) * 1024), SumMemory(running), SumMemory(vms)),
            usage?.CpuPercent,
            usage is null ? null : (ulong)usage.MemoryUsedKib * 1024,
            [.. shown.Where(v => v.CpuPercent is not null).OrderByDescending(v => v.CpuPercent).ThenBy(v => v.Name, StringComparer.OrdinalIgnoreCase).Take(TopCount)],
            [.. shown.OrderByDescending(v => v.MemoryBytes).ThenBy(v => v.Name, StringComparer.OrdinalIgnoreCase).Take(TopCount)]);
    }

    private static ulong SumMemory(IEnumerable<VmInfo> vms) => vms.Aggregate(0UL, (sum, vm) => sum + vm.MemoryBytes);

    private static (double, double)? Ratio(double running, double defined, double total) =>
        total > 0 ? (running / total, defined / total) : null;
}
