using KvmPortal.Libvirt.Interop;
using System.Text;

namespace KvmPortal.Libvirt;

public sealed unsafe partial class Connection
{
    private const int AllCpus = -1; // VIR_NODE_CPU_STATS_ALL_CPUS
    private const int AllCells = -1; // VIR_NODE_MEMORY_STATS_ALL_CELLS

    private delegate int NodeStatsCall(ConnectionHandle conn, int index, VirNodeStatsEntry* entries, ref int count, uint flags);

    /// <summary>
    /// The host's cumulative CPU times over all CPUs in nanoseconds (virNodeGetCPUStats), keyed by libvirt's field
    /// names: "kernel", "user", "idle", "iowait" (Linux). Drivers without it throw with <see cref="ErrorCode.NoSupport"/>.
    /// </summary>
    public IReadOnlyDictionary<string, ulong> GetNodeCpuStats() => ReadNodeStats(NativeMethods.virNodeGetCPUStats, AllCpus);

    /// <summary>
    /// The host's memory over all NUMA cells in KiB (virNodeGetMemoryStats): "total", "free", "buffers", "cached".
    /// Drivers without it throw with <see cref="ErrorCode.NoSupport"/>.
    /// </summary>
    public IReadOnlyDictionary<string, ulong> GetNodeMemoryStats() => ReadNodeStats(NativeMethods.virNodeGetMemoryStats, AllCells);

    private IReadOnlyDictionary<string, ulong> ReadNodeStats(NodeStatsCall call, int index)
    {
        int count = 0;
        if (call(Handle, index, null, ref count, 0) < 0)
        {
            throw LibvirtException.FromLastError();
        }
        var entries = new VirNodeStatsEntry[count];
        fixed (VirNodeStatsEntry* first = entries)
        {
            if (count > 0 && call(Handle, index, first, ref count, 0) < 0)
            {
                throw LibvirtException.FromLastError();
            }
            var values = new Dictionary<string, ulong>(count, StringComparer.Ordinal);
            for (int i = 0; i < count; i++)
            {
                values[FieldName(&first[i])] = first[i].Value;
            }
            return values;
        }
    }

    private static string FieldName(VirNodeStatsEntry* entry)
    {
        var field = new ReadOnlySpan<byte>(entry->Field, VirNodeStatsEntry.FieldLength);
        int end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }
}
