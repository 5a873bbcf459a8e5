using System.Globalization;

namespace KvmPortal.Web.Usage;

/// <summary>The query parameters of the report's CSV export and API: from and to (ISO 8601, to exclusive) and a chart's period.</summary>
public static class UsageRange
{
    public static readonly TimeSpan DefaultLength = TimeSpan.FromDays(30);
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(400);

    /// <summary>
    /// Reads a report period: <paramref name="to"/> defaults to now, <paramref name="from"/> to 30 days before
    /// <paramref name="to"/>. False, with a message for the caller, for unreadable or impossible periods.
    /// </summary>
    public static bool TryParse(string? from, string? to, DateTimeOffset now,
        out DateTimeOffset start, out DateTimeOffset end, out string? problem)
    {
        start = end = default;
        problem = null;
        if (!TryParseTime(to, out var parsedTo) || !TryParseTime(from, out var parsedFrom))
        {
            problem = "from and to must be ISO 8601 times, e.g. 2026-11-01T00:00:00Z";
            return false;
        }
        end = parsedTo ?? now;
        start = parsedFrom ?? end - DefaultLength;
        if (start >= end)
            problem = "from must be before to";
        else if (end - start > MaxLength)
            problem = $"the period may be at most {MaxLength.TotalDays:0} days";
        return problem is null;
    }

    /// <summary>hour, day, week or month (any case); null (or empty) is a day.</summary>
    public static bool TryParsePeriod(string? text, out UsagePeriod period)
    {
        period = UsagePeriod.Day;
        if (string.IsNullOrWhiteSpace(text))
            return true;
        foreach (var candidate in Enum.GetValues<UsagePeriod>())
        {
            if (string.Equals(candidate.ToString(), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                period = candidate;
                return true;
            }
        }
        return false;
    }

    public static string PeriodProblem(string? text) => $"Unknown period '{text}'; use hour, day, week or month.";

    private static bool TryParseTime(string? text, out DateTimeOffset? time)
    {
        time = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) return false;
        time = parsed.ToUniversalTime();
        return true;
    }
}
