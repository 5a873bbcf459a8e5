namespace KvmPortal.Web.Usage;

/// <summary>Turns the summed rows into report lines (units, names, flags) and per-team totals.</summary>
internal static class UsageReportBuilder
{
    private const double KibPerGib = 1024.0 * 1024;
    private const double SecondsPerHour = 3600;

    public static UsageReport Build(UsageReportQuery query, IReadOnlyList<UsageReportRow> rows, UsageOptions options)
    {
        var lines = rows.Select(row => Line(row, options))
            .OrderBy(l => l.TeamName is null).ThenBy(l => l.TeamName, StringComparer.CurrentCultureIgnoreCase)
            .ThenBy(l => l.VmName, StringComparer.CurrentCultureIgnoreCase).ThenBy(l => l.VmUuid)
            .ToList();
        var teams = lines.GroupBy(l => l.TeamId).Select(Total)
            .OrderBy(t => t.TeamName is null).ThenBy(t => t.TeamName, StringComparer.CurrentCultureIgnoreCase)
            .ToList();
        return new UsageReport(query.From, query.To, lines, teams);
    }

    private static VmUsageLine Line(UsageReportRow row, UsageOptions options)
    {
        var cpuAverage = row.VcpuSeconds > 0 ? row.CpuNs / (row.VcpuSeconds * 1e9) * 100 : 0;
        return new VmUsageLine(
            row.VmUuid, row.VmName ?? row.VmUuid.ToString(), row.HostId, row.HostName, row.TeamId, row.TeamName,
            row.VcpuSeconds / SecondsPerHour, row.MemoryKibSeconds / KibPerGib / SecondsPerHour,
            row.DiskCapacityBytes, row.DiskAllocationBytes, cpuAverage, row.CpuPercentPeak,
            row.MemoryKibPeak, row.MemoryUsedKibPeak,
            UsageFlags.IsIdle(cpuAverage, row.CpuPercentPeak, options),
            UsageFlags.IsOversized(row.CpuPercentPeak, row.MemoryUsedKibPeak, row.MemoryKibPeak, options));
    }

    private static TeamUsageTotal Total(IGrouping<Guid?, VmUsageLine> team)
    {
        var vcpuHours = team.Sum(l => l.VcpuHours);
        return new TeamUsageTotal(
            team.Key, team.First().TeamName, team.Select(l => l.VmUuid).Distinct().Count(), vcpuHours,
            team.Sum(l => l.MemoryGibHours), team.Sum(l => l.DiskAllocatedBytes), team.Sum(l => l.DiskUsedBytes),
            vcpuHours > 0 ? team.Sum(l => l.CpuAveragePercent * l.VcpuHours) / vcpuHours : 0,
            team.Max(l => l.CpuPeakPercent), team.Count(l => l.Idle), team.Count(l => l.Oversized));
    }
}
