using System.Globalization;
using KvmPortal.Web.Csv;
using KvmPortal.Web.Resources;
using Microsoft.Extensions.Localization;

namespace KvmPortal.Web.Usage;

/// <summary>
/// The usage report as CSV (<see cref="RfcCsv"/>): one line per VM and team. Numbers in the invariant culture (a dot
/// for decimals whatever the reader's language); disks in GiB, memory in MiB, flags as true/false. A deleted team or
/// host is written as its id; a VM of no team has an empty team.
/// </summary>
public static class UsageCsv
{
    private const double BytesPerGib = 1024.0 * 1024 * 1024;

    /// <summary>The columns' stable names; the English header is exactly these, for scripts.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "vm", "vm_uuid", "host", "team", "vcpu_hours", "memory_gib_hours", "disk_allocated_gib", "disk_used_gib",
        "cpu_avg_percent", "cpu_peak_percent", "memory_allocated_mib", "memory_peak_used_mib", "idle", "oversized",
    ];

    /// <summary>The header line in the reader's language (resources UsageCsvColumn_*).</summary>
    public static IReadOnlyList<string> HeaderIn(IStringLocalizer<Strings> text) =>
        [.. Columns.Select(column => text[$"UsageCsvColumn_{column}"].Value)];

    public static async Task WriteAsync(UsageReport report, IReadOnlyList<string> header, TextWriter writer, CancellationToken cancellationToken = default)
    {
        await writer.WriteAsync(RfcCsv.Line(header));
        foreach (var line in report.Vms)
            await writer.WriteAsync(RfcCsv.Line(Fields(line)));
        await writer.FlushAsync(cancellationToken);
    }

    public static IReadOnlyList<string?> Fields(VmUsageLine line) =>
    [
        line.VmName, line.VmUuid.ToString(), line.HostName ?? line.HostId.ToString(), line.TeamName ?? line.TeamId?.ToString(),
        Number(line.VcpuHours), Number(line.MemoryGibHours),
        Number(line.DiskAllocatedBytes / BytesPerGib), Number(line.DiskUsedBytes / BytesPerGib),
        Number(line.CpuAveragePercent), Number(line.CpuPeakPercent),
        Mib(line.MemoryAllocatedKib), line.MemoryPeakUsedKib is { } used ? Mib(used) : null,
        Flag(line.Idle), Flag(line.Oversized),
    ];

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Mib(long kib) => (kib / 1024).ToString(CultureInfo.InvariantCulture);

    private static string Flag(bool value) => value ? "true" : "false";
}
