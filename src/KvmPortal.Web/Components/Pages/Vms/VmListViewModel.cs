using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Web.Components.Pages.Vms;

public enum VmSortColumn { Name, Host, State, VCpus, Memory, Cpu, Uptime }

/// <summary>Which VMs the list shows: all, ordinary VMs only, or templates only.</summary>
public enum VmKindFilter { All, Vms, Templates }

public sealed record VmRow(VmInfo Vm, string HostName);

/// <summary>One page of the list: its rows, its 0-based index, how many pages and rows there are.</summary>
public sealed record VmPage(IReadOnlyList<VmRow> Rows, int Index, int Count, int TotalRows, int FirstRow)
{
    /// <summary>Whether both pages show the same: same place, same VMs in the same state (snapshots share unchanged VMs).</summary>
    public bool SameAs(VmPage other) =>
        Index == other.Index && Count == other.Count && TotalRows == other.TotalRows && FirstRow == other.FirstRow
        && Rows.Count == other.Rows.Count
        && Rows.Zip(other.Rows).All(p => ReferenceEquals(p.First.Vm, p.Second.Vm) && p.First.HostName == p.Second.HostName);
}

/// <summary>
/// The VM list's search, sort and paging over an inventory snapshot; no rendering involved. Only one page is
/// rendered, so a render batch stays the same size with 50 VMs or 5,000.
/// </summary>
public sealed class VmListViewModel
{
    public const int DefaultPageSize = 50;

    private readonly HashSet<VmKey> selected = [];
    private string search = "";
    private VmKindFilter kind;

    /// <summary>A new search starts again at the first page.</summary>
    public string Search
    {
        get => search;
        set
        {
            if (value == search) return;
            search = value ?? "";
            PageIndex = 0;
        }
    }

    /// <summary>A new filter starts again at the first page.</summary>
    public VmKindFilter Kind
    {
        get => kind;
        set
        {
            if (value == kind) return;
            kind = value;
            PageIndex = 0;
        }
    }

    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>The page asked for (0-based); <see cref="PageOf"/> clamps it to the pages there are.</summary>
    public int PageIndex { get; private set; }

    public void GoToPage(int index) => PageIndex = Math.Max(0, index);

    /// <summary>The current page of <paramref name="rows"/>; past the end (VMs went away) it is the last page.</summary>
    public VmPage PageOf(IReadOnlyList<VmRow> rows)
    {
        var count = Math.Max(1, (rows.Count + PageSize - 1) / PageSize);
        var index = Math.Min(PageIndex, count - 1);
        var first = index * PageSize;
        return new VmPage(rows.Skip(first).Take(PageSize).ToList(), index, count, rows.Count, first);
    }

    public VmSortColumn SortColumn { get; private set; } = VmSortColumn.Name;

    public bool SortDescending { get; private set; }

    /// <summary>Sorts by the column; choosing the current column again flips the direction.</summary>
    public void SortBy(VmSortColumn column)
    {
        SortDescending = column == SortColumn && !SortDescending;
        SortColumn = column;
        PageIndex = 0;
    }

    /// <param name="visible">Which VMs the user may see; all when null.</param>
    public IReadOnlyList<VmRow> Rows(InventorySnapshot snapshot, Func<VmKey, bool>? visible = null)
    {
        var search = Search.Trim();
        var sorted = SortedVmRows.Of(snapshot, SortColumn, SortDescending);
        if (visible is null && Kind == VmKindFilter.All && search.Length == 0)
            return sorted;
        return sorted
            .Where(row => visible is null || visible(row.Vm.Key))
            .Where(row => Kind == VmKindFilter.All || row.Vm.Template == (Kind == VmKindFilter.Templates))
            .Where(row => search.Length == 0
                          || row.Vm.Name.Contains(search, StringComparison.OrdinalIgnoreCase)
                          || row.HostName.Contains(search, StringComparison.OrdinalIgnoreCase))
            .ToList();
    }

    public bool IsSelected(VmKey vm) => selected.Contains(vm);

    public bool HasSelection => selected.Count > 0;

    public void Select(VmKey vm, bool select)
    {
        if (select)
            selected.Add(vm);
        else
            selected.Remove(vm);
    }

    /// <summary>Whether all the rows shown (the page) are selected (false when none are shown).</summary>
    public bool AllSelected(IReadOnlyList<VmRow> rows) => rows.Count > 0 && rows.All(r => selected.Contains(r.Vm.Key));

    public void SelectAll(IReadOnlyList<VmRow> rows, bool select)
    {
        foreach (var row in rows)
            Select(row.Vm.Key, select);
    }

    public void ClearSelection() => selected.Clear();

    /// <summary>The selected VMs that still exist and are visible, by name, whatever the search shows now.</summary>
    public IReadOnlyList<VmRow> SelectedRows(InventorySnapshot snapshot, Func<VmKey, bool> visible) =>
    [
        .. selected.Where(visible)
            .Select(key => snapshot.Vms.GetValueOrDefault(key))
            .OfType<VmInfo>()
            .Select(vm => SortedVmRows.RowOf(snapshot, vm))
            .OrderBy(r => r.Vm.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(r => r.HostName, StringComparer.OrdinalIgnoreCase),
    ];
}
