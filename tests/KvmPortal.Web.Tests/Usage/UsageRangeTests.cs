using KvmPortal.Web.Usage;

namespace KvmPortal.Web.Tests.Usage;

public sealed class UsageRangeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Missing_times_default_to_the_30_days_up_to_now()
    {
        Assert.True(UsageRange.TryParse(null, "", Now, out var from, out var to, out _));
        Assert.Equal(Now, to);
        Assert.Equal(Now.AddDays(-30), from);
        Assert.True(UsageRange.TryParse(null, "2026-11-01T00:00:00+08:00", Now, out from, out to, out _));
        Assert.Equal(new DateTimeOffset(2026, 10, 31, 16, 0, 0, TimeSpan.Zero), to);
        Assert.Equal(to.AddDays(-30), from);
    }

    [Theory]
    [InlineData("soon", null, "ISO 8601")]
    [InlineData("2026-11-02", "2026-11-01", "before")]
    [InlineData("2026-11-01", "2026-11-01", "before")]
    [InlineData("2024-01-01", "2026-01-01", "at most 400 days")]
    public void Unreadable_or_impossible_periods_are_refused_with_the_reason(string from, string? to, string reason)
    {
        Assert.False(UsageRange.TryParse(from, to, Now, out _, out _, out var problem));
        Assert.Contains(reason, problem);
    }

    [Theory]
    [InlineData("hour", UsagePeriod.Hour)]
    [InlineData("WEEK", UsagePeriod.Week)]
    [InlineData(" month ", UsagePeriod.Month)]
    [InlineData(null, UsagePeriod.Day)]
    public void Periods_are_read_by_name(string? text, UsagePeriod expected)
    {
        Assert.True(UsageRange.TryParsePeriod(text, out var period));
        Assert.Equal(expected, period);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("year")]
    public void Other_periods_are_refused(string text) => Assert.False(UsageRange.TryParsePeriod(text, out _));

    [Theory]
    [InlineData(1.9, 1.9, true)]
    [InlineData(1.0, 2.0, false)] // the peak reached the threshold
    [InlineData(2.0, 1.0, false)]
    public void Idle_needs_average_and_peak_below_the_threshold(double average, double peak, bool idle) =>
        Assert.Equal(idle, UsageFlags.IsIdle(average, peak, new UsageOptions()));

    [Theory]
    [InlineData(24.9, 1000L, 4096L, true)]
    [InlineData(24.9, null, 4096L, true)] // no used memory reported: CPU alone
    [InlineData(25.0, 1000L, 4096L, false)]
    [InlineData(10.0, 1024L, 4096L, false)] // memory at a quarter of the allocation
    public void Oversized_needs_cpu_and_known_memory_peaks_below_the_fraction(double cpuPeak, long? usedPeak, long allocated, bool oversized) =>
        Assert.Equal(oversized, UsageFlags.IsOversized(cpuPeak, usedPeak, allocated, new UsageOptions()));
}
