using System.Globalization;

namespace KvmPortal.Web.Components.Pages.Usage;

public enum UsageReportPeriod { Last7Days, Last30Days, ThisMonth, Custom }

/// <summary>A report's [From, To) in UTC, or the resource key of why the chosen range cannot be reported.</summary>
public sealed record UsageReportRange(DateTimeOffset From, DateTimeOffset To, string? ProblemKey = null)
{
    /// <summary>The longest custom range: the hourly rollups are kept about a year.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(366);

    public bool IsValid => ProblemKey is null;

    /// <summary>
    /// The range of a choice at <paramref name="now"/>. Custom dates are whole UTC days, the "to" day included;
    /// a range reaching into the future ends now.
    /// </summary>
    public static UsageReportRange Resolve(UsageReportPeriod period, DateTime? customFrom, DateTime? customTo, DateTimeOffset now)
    {
        now = now.ToUniversalTime();
        return period switch
        {
            UsageReportPeriod.Last7Days => new(now.AddDays(-7), now),
            UsageReportPeriod.Last30Days => new(now.AddDays(-30), now),
            UsageReportPeriod.ThisMonth => new(new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero), now),
            _ => Custom(customFrom, customTo, now),
        };
    }

    private static UsageReportRange Custom(DateTime? customFrom, DateTime? customTo, DateTimeOffset now)
    {
        if (customFrom is not { } fromDay || customTo is not { } toDay)
            return Invalid("UsageRangeMissing");
        var from = UtcDay(fromDay);
        var to = UtcDay(toDay).AddDays(1);
        if (from >= to)
            return Invalid("UsageRangeOrder");
        if (from >= now)
            return Invalid("UsageRangeFuture");
        if (to - from > Longest)
            return Invalid("UsageRangeTooLong");
        return new(from, to < now ? to : now);
    }

    private static DateTimeOffset UtcDay(DateTime day) => new(day.Year, day.Month, day.Day, 0, 0, 0, TimeSpan.Zero);

    private static UsageReportRange Invalid(string key) => new(default, default, key);

    /// <summary>The CSV export of this range: ISO 8601 UTC instants, as the endpoint reads them.</summary>
    public string CsvHref => $"usage/report.csv?from={Iso(From)}&to={Iso(To)}";

    private static string Iso(DateTimeOffset at) =>
        Uri.EscapeDataString(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}
