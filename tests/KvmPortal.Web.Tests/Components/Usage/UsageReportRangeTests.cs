using KvmPortal.Web.Components.Pages.Usage;

namespace KvmPortal.Web.Tests.Components.Usage;

public sealed class UsageReportRangeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 6, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(UsageReportPeriod.Last7Days, "2026-11-16T06:30:00Z")]
    [InlineData(UsageReportPeriod.Last30Days, "2026-10-24T06:30:00Z")]
    [InlineData(UsageReportPeriod.ThisMonth, "2026-11-01T00:00:00Z")]
    public void Fixed_periods_end_now(UsageReportPeriod period, string from)
    {
        var range = UsageReportRange.Resolve(period, null, null, Now);

        Assert.True(range.IsValid);
        Assert.Equal(DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture), range.From);
        Assert.Equal(Now, range.To);
    }

    [Theory]
    [InlineData(null, "2026-11-01", "UsageRangeMissing")]
    [InlineData("2026-11-01", null, "UsageRangeMissing")]
    [InlineData("2026-11-10", "2026-11-09", "UsageRangeOrder")]
    [InlineData("2026-11-24", "2026-11-30", "UsageRangeFuture")]
    [InlineData("2025-01-01", "2026-01-05", "UsageRangeTooLong")]
    public void Bad_custom_ranges_name_their_problem(string? from, string? to, string problem)
    {
        var range = UsageReportRange.Resolve(UsageReportPeriod.Custom, Day(from), Day(to), Now);

        Assert.False(range.IsValid);
        Assert.Equal(problem, range.ProblemKey);
    }

    [Fact]
    public void A_custom_range_including_today_ends_now()
    {
        var range = UsageReportRange.Resolve(UsageReportPeriod.Custom, Day("2026-11-20"), Day("2026-11-23"), Now);

        Assert.Equal(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero), range.From);
        Assert.Equal(Now, range.To);
        Assert.Equal("usage/report.csv?from=2026-11-20T00%3A00%3A00Z&to=2026-11-23T06%3A30%3A00Z", range.CsvHref);
    }

    [Fact]
    public void A_single_day_is_a_whole_day()
    {
        var range = UsageReportRange.Resolve(UsageReportPeriod.Custom, Day("2026-11-01"), Day("2026-11-01"), Now);

        Assert.True(range.IsValid);
        Assert.Equal(TimeSpan.FromDays(1), range.To - range.From);
    }

    private static DateTime? Day(string? text) =>
        text is null ? null : DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
