using KvmPortal.Web.Resources;
using KvmPortal.Web.Usage;
using Microsoft.Extensions.Localization;
using MudBlazor;
using MudBlazor.Charts;

namespace KvmPortal.Web.Components.Pages.Usage;

/// <summary>One chart of a usage panel: a stable id for tests, its title with the unit, and its lines.</summary>
public sealed record UsageChartView(string Id, string Title, IReadOnlyList<ChartSeries<double>> Series)
{
    /// <summary>How many points the chart draws, over all of its lines.</summary>
    public int PointCount => Series.Sum(s => s.Data.Count);
}

/// <summary>Turns a usage series into the charts the VM and host pages draw. No rendering involved.</summary>
public static class UsageCharts
{
    private const double KibPerGib = 1024 * 1024;
    private const double KiB = 1024, MiB = 1024 * 1024;

    public static IReadOnlyList<UsageChartView> ForVm(UsageSeries series, IStringLocalizer<Strings> text) =>
    [
        Cpu(series, text),
        Memory(series, text),
        Throughput("usage-chart-disk", text["UsageChartDisk"], series,
            (text["UsageSeriesRead"], p => p.DiskReadBytesPerSecond), (text["UsageSeriesWrite"], p => p.DiskWriteBytesPerSecond)),
        Throughput("usage-chart-network", text["UsageChartNetwork"], series,
            (text["UsageSeriesReceived"], p => p.NetRxBytesPerSecond), (text["UsageSeriesSent"], p => p.NetTxBytesPerSecond)),
    ];

    public static IReadOnlyList<UsageChartView> ForHost(UsageSeries series, IStringLocalizer<Strings> text) =>
        [Cpu(series, text), Memory(series, text)];

    private static UsageChartView Cpu(UsageSeries series, IStringLocalizer<Strings> text) =>
        new("usage-chart-cpu", text["UsageChartCpu"],
        [
            Line(text["UsageSeriesAverage"], series.Points.Select(p => (p.At, (double?)p.CpuPercent))),
            Line(text["UsageSeriesPeak"], series.Points.Select(p => (p.At, (double?)p.CpuPercentPeak))),
        ]);

    private static UsageChartView Memory(UsageSeries series, IStringLocalizer<Strings> text) =>
        new("usage-chart-memory", text["UsageChartMemory"],
        [
            Line(text["UsageSeriesAllocated"], series.Points.Select(p => (p.At, (double?)(p.MemoryKib / KibPerGib)))),
            Line(text["UsageSeriesUsed"], series.Points.Select(p => (p.At, p.MemoryUsedKib / KibPerGib))),
        ]);

    private static UsageChartView Throughput(string id, string title, UsageSeries series,
        params (string Name, Func<UsagePoint, double> Value)[] lines)
    {
        var max = series.Points.Count == 0 ? 0 : lines.Max(l => series.Points.Max(l.Value));
        var (divisor, unit) = ThroughputUnit(max);
        return new(id, $"{title} ({unit})",
            [.. lines.Select(l => Line(l.Name, series.Points.Select(p => (p.At, (double?)(l.Value(p) / divisor)))))]);
    }

    /// <summary>KiB/s unless the busiest point reaches a MiB/s, so small guests do not draw flat lines at zero.</summary>
    public static (double Divisor, string Unit) ThroughputUnit(double maxBytesPerSecond) =>
        maxBytesPerSecond >= MiB ? (MiB, "MiB/s") : (KiB, "KiB/s");

    /// <summary>A line of the points that have a value; a missing value leaves a gap rather than a zero.</summary>
    private static ChartSeries<double> Line(string name, IEnumerable<(DateTimeOffset At, double? Value)> points) => new()
    {
        Name = name,
        Data = points.Where(p => p.Value is not null)
            .Select(p => new TimeValue<double>(p.At.LocalDateTime, Math.Round(p.Value!.Value, 2)))
            .ToArray(),
        Visible = true,
    };

    /// <summary>Axis labels that suit the period: times of day for an hour or a day, dates for a week or a month.</summary>
    public static TimeSeriesChartOptions Options(UsagePeriod period) => new()
    {
        YAxisRequireZeroPoint = true,
        ShowDataMarkers = period == UsagePeriod.Hour,
        LineStrokeWidth = 2,
        TimeLabelFormat = period is UsagePeriod.Hour or UsagePeriod.Day ? "HH:mm" : "MM-dd",
        TooltipTimeLabelFormat = "yyyy-MM-dd HH:mm",
        TimeLabelSpacing = period switch
        {
            UsagePeriod.Hour => TimeSpan.FromMinutes(10),
            UsagePeriod.Day => TimeSpan.FromHours(3),
            UsagePeriod.Week => TimeSpan.FromDays(1),
            _ => TimeSpan.FromDays(5),
        },
    };
}
