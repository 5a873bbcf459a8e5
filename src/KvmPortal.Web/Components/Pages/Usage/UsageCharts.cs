using KvmPortal.Web.Resources;
using KvmPortal.Web.Usage;
using Microsoft.Extensions.Localization;
using MudBlazor;
using MudBlazor.Charts;

namespace KvmPortal.Web.Components.Pages.Usage;

/// <summary>One chart of a usage panel: a stable id for tests, its title with the unit, its lines and axes.</summary>
public sealed record UsageChartView(string Id, string Title, IReadOnlyList<ChartSeries<double>> Series, TimeSeriesChartOptions Options)
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
        Memory(series, text, text["UsageSeriesAllocated"]),
        Throughput("usage-chart-disk", text["UsageChartDisk"], series,
            (text["UsageSeriesRead"], p => p.DiskReadBytesPerSecond), (text["UsageSeriesWrite"], p => p.DiskWriteBytesPerSecond)),
        Throughput("usage-chart-network", text["UsageChartNetwork"], series,
            (text["UsageSeriesReceived"], p => p.NetRxBytesPerSecond), (text["UsageSeriesSent"], p => p.NetTxBytesPerSecond)),
    ];

    public static IReadOnlyList<UsageChartView> ForHost(UsageSeries series, IStringLocalizer<Strings> text) =>
        [Cpu(series, text), Memory(series, text, text["UsageSeriesTotal"])];

    private static UsageChartView Cpu(UsageSeries series, IStringLocalizer<Strings> text) =>
        Chart("usage-chart-cpu", text["UsageChartCpu"], series,
        [
            Line(text["UsageSeriesAverage"], series.Points.Select(p => (p.At, (double?)p.CpuPercent))),
            Line(text["UsageSeriesPeak"], series.Points.Select(p => (p.At, (double?)p.CpuPercentPeak))),
        ]);

    /// <summary>Memory against what a VM is given, or a host has (<paramref name="whole"/> names that line).</summary>
    private static UsageChartView Memory(UsageSeries series, IStringLocalizer<Strings> text, string whole)
    {
        var max = series.Points.Count == 0 ? 0 : series.Points.Max(p => Math.Max(p.MemoryKib, p.MemoryUsedKib ?? 0));
        var (divisor, unit) = max >= 2 * KibPerGib ? (KibPerGib, "GiB") : (1024.0, "MiB");
        return Chart("usage-chart-memory", $"{text["UsageChartMemory"]} ({unit})", series,
        [
            Line(whole, series.Points.Select(p => (p.At, (double?)(p.MemoryKib / divisor)))),
            Line(text["UsageSeriesUsed"], series.Points.Select(p => (p.At, p.MemoryUsedKib / divisor))),
        ]);
    }

    private static UsageChartView Throughput(string id, string title, UsageSeries series,
        params (string Name, Func<UsagePoint, double> Value)[] lines)
    {
        var max = series.Points.Count == 0 ? 0 : lines.Max(l => series.Points.Max(l.Value));
        var (divisor, unit) = ThroughputUnit(max);
        return Chart(id, $"{title} ({unit})", series,
            [.. lines.Select(l => Line(l.Name, series.Points.Select(p => (p.At, (double?)(l.Value(p) / divisor)))))]);
    }

    private static UsageChartView Chart(string id, string title, UsageSeries series, IReadOnlyList<ChartSeries<double>> lines)
    {
        var values = lines.SelectMany(l => l.Data.Values).ToList();
        return new(id, title, lines, Options(series, values.Count == 0 ? 0 : values.Max()));
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

    /// <summary>Time labels spaced to the points' span (a new VM's hour has seconds of data), value ticks to their size.</summary>
    public static TimeSeriesChartOptions Options(UsageSeries series, double maxValue)
    {
        var span = series.Points.Count < 2 ? TimeSpan.Zero : series.Points[^1].At - series.Points[0].At;
        var spacing = LabelSpacing(span);
        return new TimeSeriesChartOptions
        {
            YAxisRequireZeroPoint = true,
            YAxisTicks = TickSpacing(maxValue),
            ShowDataMarkers = series.Points.Count <= 60,
            LineStrokeWidth = 2,
            TimeLabelSpacing = spacing,
            TimeLabelFormat = spacing < TimeSpan.FromMinutes(1) ? "HH:mm:ss"
                : spacing >= TimeSpan.FromDays(1) ? "MM-dd"
                : span >= TimeSpan.FromDays(1) ? "MM-dd HH:mm"
                : "HH:mm",
            TooltipTimeLabelFormat = "yyyy-MM-dd HH:mm:ss",
        };
    }

    private static readonly TimeSpan[] LabelSteps =
    [
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(3),
        TimeSpan.FromHours(6), TimeSpan.FromHours(12), TimeSpan.FromDays(1), TimeSpan.FromDays(2), TimeSpan.FromDays(7),
    ];

    /// <summary>The smallest round step that puts at most about six labels on the axis.</summary>
    public static TimeSpan LabelSpacing(TimeSpan span) =>
        LabelSteps.FirstOrDefault(step => step * 6 >= span, LabelSteps[^1]);

    /// <summary>A 1-2-5 step giving about five ticks; MudBlazor's tick spacing is a whole number, at least 1.</summary>
    public static int TickSpacing(double maxValue)
    {
        var raw = maxValue / 5;
        if (raw <= 1)
            return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 5, 10 }.Select(f => f * magnitude).First(s => s >= raw);
        return (int)Math.Ceiling(step);
    }
}
