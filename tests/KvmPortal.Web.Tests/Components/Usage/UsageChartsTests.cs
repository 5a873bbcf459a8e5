using KvmPortal.Web.Components.Pages.Usage;
using KvmPortal.Web.Resources;
using KvmPortal.Web.Usage;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static KvmPortal.Web.Tests.Fakes.InMemoryUsageHistory;

namespace KvmPortal.Web.Tests.Components.Usage;

public sealed class UsageChartsTests
{
    private static readonly IStringLocalizer<Strings> Text = new StringLocalizer<Strings>(
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));

    [Theory]
    [InlineData(0, 1)]
    [InlineData(3.4, 1)]
    [InlineData(12, 5)]
    [InlineData(100, 20)]
    [InlineData(256, 100)]
    [InlineData(16384, 5000)]
    public void Value_ticks_take_a_round_step_for_about_five_ticks(double max, int spacing) =>
        Assert.Equal(spacing, UsageCharts.TickSpacing(max));

    [Theory]
    [InlineData(0, 10)]
    [InlineData(20, 10)]
    [InlineData(3600, 600)]
    [InlineData(86400, 21600)]
    [InlineData(30 * 86400, 604800)]
    public void Time_labels_are_spaced_to_the_points_span(int spanSeconds, int spacingSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(spacingSeconds), UsageCharts.LabelSpacing(TimeSpan.FromSeconds(spanSeconds)));

    [Fact]
    public void A_week_of_points_is_labelled_with_dates_and_a_few_seconds_with_seconds()
    {
        var now = DateTimeOffset.UtcNow;
        var week = new UsageSeries(UsagePeriod.Week, TimeSpan.FromHours(1), [Point(now.AddDays(-7), 1), Point(now, 2)]);
        var seconds = new UsageSeries(UsagePeriod.Hour, TimeSpan.FromSeconds(10), [Point(now.AddSeconds(-20), 1), Point(now, 2)]);

        Assert.Equal("MM-dd", UsageCharts.Options(week, 2).TimeLabelFormat);
        Assert.Equal("HH:mm:ss", UsageCharts.Options(seconds, 2).TimeLabelFormat);
    }

    [Theory]
    [InlineData(512L * 1024, "MiB")]
    [InlineData(8L * 1024 * 1024, "GiB")]
    public void Memory_is_charted_in_a_unit_that_suits_the_vm(long memoryKib, string unit)
    {
        var series = new UsageSeries(UsagePeriod.Hour, TimeSpan.FromSeconds(10), [Point(DateTimeOffset.UtcNow, 1, memoryKib, memoryKib / 2)]);

        var memory = UsageCharts.ForVm(series, Text).Single(c => c.Id == "usage-chart-memory");

        Assert.EndsWith($"({unit})", memory.Title);
    }
}
