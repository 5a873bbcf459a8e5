using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Web.Components.Pages.Vms;

public enum VmSortColumn { Name, Host, State, VCpus, Memory, Cpu, Uptime }

public sealed record VmRow(VmInfo Vm, string HostName);

/// <summary>The VM list's search and sort over an inventory snapshot; no rendering involved.</summary>
public sealed class VmListViewModel
{
    public string Search { get; set; } = "";

    public VmSortColumn SortColumn { get; private set; } = VmSortColumn.Name;

    public bool SortDescending { get; private set; }

    /// <summary>Sorts by the column; choosing the current column again flips the direction.</summary>
    public void SortBy(VmSortColumn column)
    {
        SortDescending = column == SortColumn && !SortDescending;
        SortColumn = column;
    }

    /// <param name="visible">Which VMs the user may see; all when null.</param>
    public IReadOnlyList<VmRow> Rows(InventorySnapshot snapshot, Func<VmKey, bool>? visible = null)
    {
        var search = Search.Trim();
        var rows = snapshot.Vms.Values
            .Where(vm => visible is null || visible(vm.Key))
            .Select(vm => new VmRow(vm, snapshot.Hosts.TryGetValue(vm.HostId, out var host) ? host.Name : ""))
            .Where(row => search.Length == 0
                          || row.Vm.Name.Contains(search, StringComparison.OrdinalIgnoreCase)
                          || row.HostName.Contains(search, StringComparison.OrdinalIgnoreCase));

        // Name then host as tie-breakers keep the order stable while stats change.
        var ordered = SortColumn switch
        {
            VmSortColumn.Host => Order(rows, r => r.HostName, StringComparer.OrdinalIgnoreCase),
            VmSortColumn.State => Order(rows, r => r.Vm.State, Comparer<VmState>.Default),
            VmSortColumn.VCpus => Order(rows, r => r.Vm.VCpus, Comparer<int>.Default),
            VmSortColumn.Memory => Order(rows, r => r.Vm.MemoryBytes, Comparer<ulong>.Default),
            VmSortColumn.Cpu => Order(rows, r => r.Vm.CpuPercent ?? -1, Comparer<double>.Default),
            // Uptime grows as the start time recedes; VMs that are not running count as the shortest.
            VmSortColumn.Uptime => Order(rows, r => r.Vm.RunningSince is { } since ? -since.UtcTicks : long.MinValue, Comparer<long>.Default),
            _ => Order(rows, r => r.Vm.Name, StringComparer.OrdinalIgnoreCase),
        };
        return ordered
            .ThenBy(r => r.Vm.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(r => r.HostName, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    private IOrderedEnumerable<VmRow> Order<TKey>(IEnumerable<VmRow> rows, Func<VmRow, TKey> key, IComparer<TKey> comparer) =>
        SortDescending ? rows.OrderByDescending(key, comparer) : rows.OrderBy(key, comparer);
}
