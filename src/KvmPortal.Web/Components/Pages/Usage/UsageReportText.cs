using System.Globalization;
using KvmPortal.Web.Components.Shared;
using KvmPortal.Web.Resources;
using KvmPortal.Web.Usage;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace KvmPortal.Web.Components.Pages.Usage;

/// <summary>How the report's figures read in its tables and chart.</summary>
public static class UsageReportText
{
    public static string Team(string? name, IStringLocalizer<Strings> text) => name ?? text["UsageNoTeam"];

    /// <summary>Hours with two decimals: a small guest over a short period still shows a figure.</summary>
    public static string Hours(double hours) => hours.ToString("N2", CultureInfo.CurrentCulture);

    public static string Disk(long usedBytes, long allocatedBytes, IStringLocalizer<Strings> text) =>
        text["UsageDiskUsedOfAllocated", Formatting.Bytes(usedBytes), Formatting.Bytes(allocatedBytes)];

    /// <summary>Peak used memory against the allocation; unknown when the guest never reported it.</summary>
    public static string MemoryPeak(VmUsageLine vm, IStringLocalizer<Strings> text) =>
        vm.MemoryPeakUsedKib is { } peak
            ? text["UsageDiskUsedOfAllocated", Formatting.Bytes(peak * 1024), Formatting.Bytes(vm.MemoryAllocatedKib * 1024)]
            : text["HostUsageUnknown"];

    public static string[] TeamLabels(IReadOnlyList<TeamUsageTotal> teams, IStringLocalizer<Strings> text) =>
        [.. teams.Select(t => Team(t.TeamName, text))];

    /// <summary>The bar chart's two series: vCPU-hours and GiB-hours of memory per team.</summary>
    public static List<ChartSeries<double>> TeamSeries(IReadOnlyList<TeamUsageTotal> teams, IStringLocalizer<Strings> text) =>
    [
        new() { Name = text["UsageColumnVcpuHours"], Data = teams.Select(t => Math.Round(t.VcpuHours, 1)).ToArray() },
        new() { Name = text["UsageColumnGibHours"], Data = teams.Select(t => Math.Round(t.MemoryGibHours, 1)).ToArray() },
    ];
}
