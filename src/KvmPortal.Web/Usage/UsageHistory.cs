using KvmPortal.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Usage;

/// <summary>
/// <see cref="IUsageHistory"/> over PostgreSQL. A chart reads its own resolution's table over the period, then each
/// finer table from where the coarser one stops (the rollup job only writes finished buckets), added up to the
/// chart's resolution: the recent stretch is always there. The report is <see cref="UsageReportReader"/>.
/// </summary>
public sealed class UsageHistory(
    IDbContextFactory<KvmPortalDbContext> contexts,
    IOptions<UsageOptions> options,
    TimeProvider clock) : IUsageHistory
{
    /// <summary>How many record intervals old the latest host sample may be to count as the host's "now".</summary>
    private const int LatestSampleIntervals = 3;

    public async Task<UsageSeries> VmSeriesAsync(Guid vmUuid, UsagePeriod period, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await SeriesAsync(period, cancellationToken, UsageTiers.VmHours(db, vmUuid), UsageTiers.VmFiveMinutes(db, vmUuid), UsageTiers.VmRaw(db, vmUuid));
    }

    public async Task<UsageSeries> HostSeriesAsync(Guid hostId, UsagePeriod period, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await SeriesAsync(period, cancellationToken, UsageTiers.HostHours(db, hostId), UsageTiers.HostFiveMinutes(db, hostId), UsageTiers.HostRaw(db, hostId));
    }

    public async Task<HostUsageNow?> HostLatestAsync(Guid hostId, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - options.Value.RecordInterval * LatestSampleIntervals;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var latest = await db.HostSamples.AsNoTracking()
            .Where(s => s.HostId == hostId && s.SampledAt >= since)
            .OrderByDescending(s => s.SampledAt)
            .FirstOrDefaultAsync(cancellationToken);
        return latest is null ? null : new HostUsageNow(latest.SampledAt, latest.Cpus,
            latest.CpuTotalNs > 0 ? (double)latest.CpuBusyNs / latest.CpuTotalNs * 100 : 0, latest.MemoryTotalKib, latest.MemoryUsedKib);
    }

    public async Task<UsageReport> ReportAsync(UsageReportQuery query, CancellationToken cancellationToken)
    {
        if (query.To <= query.From)
            throw new ArgumentException("The report period must end after it starts.", nameof(query));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await UsageReportReader.ReadAsync(db, query, cancellationToken);
        return UsageReportBuilder.Build(query, rows, options.Value);
    }

    public static TimeSpan LengthOf(UsagePeriod period) => period switch
    {
        UsagePeriod.Hour => TimeSpan.FromHours(1),
        UsagePeriod.Day => TimeSpan.FromDays(1),
        UsagePeriod.Week => TimeSpan.FromDays(7),
        UsagePeriod.Month => TimeSpan.FromDays(30),
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, "Unknown usage period."),
    };

    /// <param name="hours">The hourly tier, <paramref name="fiveMinutes"/> the 5-minute one, <paramref name="raw"/> the samples.</param>
    private async Task<UsageSeries> SeriesAsync(UsagePeriod period, CancellationToken cancellationToken,
        UsageTier hours, UsageTier fiveMinutes, UsageTier raw)
    {
        var start = clock.GetUtcNow() - LengthOf(period);
        if (period == UsagePeriod.Hour)
        {
            var samples = await raw.ReadFrom(start, cancellationToken);
            return new UsageSeries(period, options.Value.RecordInterval, [.. samples.Select(s => s.ToPoint())]);
        }
        UsageTier[] tiers = period == UsagePeriod.Day ? [fiveMinutes, raw] : [hours, fiveMinutes, raw];
        var resolution = tiers[0].Width;
        var from = UsageBucket.Floor(start, resolution);
        var buckets = new List<UsageBucket>();
        foreach (var tier in tiers)
        {
            // Each tier from where the coarser one's last bucket ends: what is not rolled up yet.
            var rows = await tier.ReadFrom(from, cancellationToken);
            buckets.AddRange(rows);
            if (rows.Count > 0)
                from = rows[^1].At + tier.Width;
        }
        return new UsageSeries(period, resolution, [.. UsageBucket.Merge(buckets, resolution).Select(b => b.ToPoint())]);
    }
}
