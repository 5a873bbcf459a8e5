using KvmPortal.Web.Data;
using KvmPortal.Web.Data.Usage;
using KvmPortal.Web.Tests.Fakes;
using KvmPortal.Web.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Tests.Integration.Usage;

/// <summary>
/// Charts on the real database: three hours of 10-second samples of one VM, with the rollup job one hour behind on
/// hourly buckets and one bucket behind on 5-minute ones, and the oldest raw samples expired. Every chart must equal
/// the samples summed at its resolution: the tail comes from the finer tables, nothing counted twice or lost.
/// </summary>
public sealed class UsageSeriesTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private readonly DateTimeOffset hour = UsageWindow.RandomDay().AddHours(12);
    private readonly Guid vm = Guid.NewGuid();
    private readonly Guid host = Guid.NewGuid();

    private IDbContextFactory<KvmPortalDbContext> Contexts => app.Services.GetRequiredService<IDbContextFactory<KvmPortalDbContext>>();

    private DateTimeOffset Now => hour.AddMinutes(47.5);

    private UsageHistory History => new(Contexts, Options.Create(new UsageOptions()), new FixedClock(Now));

    private async Task<List<VmSampleRecord>> ArrangeAsync()
    {
        var behaviour = new VmBehaviour(4, 8L << 20, i => 0.05 + 0.6 * (i % 37) / 37.0, i => i % 5 == 0 ? null : (1L << 20) + i * 1000L);
        var samples = UsageRows.Samples(vm, host, null, Now.AddHours(-3), Now, Interval, behaviour);
        await UsageRows.WriteAsync(Contexts, "chart-vm", samples,
            hoursDoneBefore: hour.AddHours(-1), fiveMinutesDoneBefore: hour.AddMinutes(40), rawKeptFrom: hour.AddHours(-2));
        return samples;
    }

    [Theory]
    [InlineData(UsagePeriod.Week)]
    [InlineData(UsagePeriod.Month)]
    public async Task Week_and_month_charts_are_hourly_and_include_the_hours_not_rolled_up_yet(UsagePeriod period)
    {
        var samples = await ArrangeAsync();

        var series = await History.VmSeriesAsync(vm, period, CancellationToken.None);

        Assert.Equal(TimeSpan.FromHours(1), series.Resolution);
        var expected = UsageRows.Rollup<VmUsage1hRecord>(samples, TimeSpan.FromHours(1)).OrderBy(b => b.BucketStart).ToList();
        Assert.Equal([hour.AddHours(-3), hour.AddHours(-2), hour.AddHours(-1), hour], series.Points.Select(p => p.At));
        AssertPoints(expected, series.Points);
    }

    [Fact]
    public async Task A_day_chart_is_five_minute_buckets_with_the_raw_tail_added_up()
    {
        var samples = await ArrangeAsync();

        var series = await History.VmSeriesAsync(vm, UsagePeriod.Day, CancellationToken.None);

        Assert.Equal(TimeSpan.FromMinutes(5), series.Resolution);
        var expected = UsageRows.Rollup<VmUsage5mRecord>(samples, TimeSpan.FromMinutes(5)).OrderBy(b => b.BucketStart).ToList();
        Assert.Equal(expected.Count, series.Points.Count);
        Assert.Equal(hour.AddMinutes(45), series.Points[^1].At); // the bucket still being filled, from raw samples only
        AssertPoints(expected, series.Points);
    }

    [Fact]
    public async Task An_hour_chart_is_the_raw_samples_and_skips_a_first_sample_without_interval()
    {
        var samples = await ArrangeAsync();
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            db.VmSamples.Add(new VmSampleRecord { VmUuid = vm, SampledAt = Now.AddMinutes(-30).AddSeconds(5), HostId = host, Vcpus = 4, MemoryKib = 1, CpuTimeNs = 123 });
            await db.SaveChangesAsync();
        }

        var series = await History.VmSeriesAsync(vm, UsagePeriod.Hour, CancellationToken.None);

        var expected = samples.Where(s => s.SampledAt >= Now.AddHours(-1)).ToList();
        Assert.Equal(expected.Select(s => s.SampledAt), series.Points.Select(p => p.At));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(UsageRows.CpuPercent(expected[i]), series.Points[i].CpuPercent, 9);
            Assert.Equal(series.Points[i].CpuPercent, series.Points[i].CpuPercentPeak);
            Assert.Equal(expected[i].MemoryUsedKib, series.Points[i].MemoryUsedKib);
            Assert.Equal(expected[i].DiskWriteBytes / 10.0, series.Points[i].DiskWriteBytesPerSecond, 9);
        }
    }

    [Fact]
    public async Task Another_vms_rows_and_rows_older_than_the_period_stay_out()
    {
        await ArrangeAsync();
        var other = UsageRows.Samples(Guid.NewGuid(), host, null, Now.AddHours(-1), Now, Interval, VmBehaviour.Steady(0.9, 0.9));
        await UsageRows.WriteAsync(Contexts, "other", other, hour, hour.AddMinutes(40), Now.AddDays(-1));

        var hourChart = await History.VmSeriesAsync(vm, UsagePeriod.Hour, CancellationToken.None);
        var later = new UsageHistory(Contexts, Options.Create(new UsageOptions()), new FixedClock(Now.AddDays(2)));

        Assert.All(hourChart.Points, p => Assert.True(p.CpuPercent < 66));
        Assert.Empty((await later.VmSeriesAsync(vm, UsagePeriod.Day, CancellationToken.None)).Points);
        Assert.Empty((await History.VmSeriesAsync(Guid.NewGuid(), UsagePeriod.Week, CancellationToken.None)).Points);
    }

    [Fact]
    public async Task A_hosts_day_chart_and_latest_sample_come_from_its_tables()
    {
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            db.HostUsage5m.Add(new HostUsage5mRecord
            {
                HostId = host, BucketStart = hour.AddMinutes(35), Samples = 30, Seconds = 300, CpuBusyNs = 300L * 8 * 1_000_000_000 / 4,
                CpuTotalNs = 300L * 8 * 1_000_000_000, CpuPercentPeak = 40, MemoryTotalKib = 64L << 20, MemoryUsedKibSeconds = 300.0 * (16L << 20),
                MemoryUsedKibPeak = 20L << 20,
            });
            for (var at = hour.AddMinutes(40).AddSeconds(10); at <= Now; at += Interval)
                db.HostSamples.Add(new HostSample(host, at, 10, busyFraction: 0.5, usedKib: 32L << 20).Record);
            await db.SaveChangesAsync();
        }

        var series = await History.HostSeriesAsync(host, UsagePeriod.Day, CancellationToken.None);
        var latest = await History.HostLatestAsync(host, CancellationToken.None);
        var stale = await new UsageHistory(Contexts, Options.Create(new UsageOptions()), new FixedClock(Now.AddMinutes(1))).HostLatestAsync(host, CancellationToken.None);

        Assert.Equal([hour.AddMinutes(35), hour.AddMinutes(40), hour.AddMinutes(45)], series.Points.Select(p => p.At));
        Assert.Equal(25, series.Points[0].CpuPercent, 9);
        Assert.Equal(40, series.Points[0].CpuPercentPeak, 9);
        Assert.Equal(16L << 20, series.Points[0].MemoryUsedKib);
        Assert.Equal(50, series.Points[1].CpuPercent, 9);
        Assert.Equal(32L << 20, series.Points[2].MemoryUsedKib);
        Assert.Equal(64L << 20, series.Points[2].MemoryKib);
        Assert.NotNull(latest);
        Assert.Equal(Now, latest.SampledAt);
        Assert.Equal(50, latest.CpuPercent, 9);
        Assert.Equal(8, latest.Cpus);
        Assert.Null(stale); // the last sample is older than three record intervals
    }

    private sealed record HostSample(Guid Host, DateTimeOffset At, double Seconds, double busyFraction, long usedKib)
    {
        public HostSampleRecord Record => new()
        {
            HostId = Host, SampledAt = At, IntervalSeconds = Seconds, Cpus = 8, CpuTotalNs = (long)(Seconds * 8 * 1e9),
            CpuBusyNs = (long)(Seconds * 8 * 1e9 * busyFraction), MemoryTotalKib = 64L << 20, MemoryUsedKib = usedKib,
        };
    }

    private static void AssertPoints<T>(IReadOnlyList<T> expected, IReadOnlyList<UsagePoint> points) where T : VmUsageRollupRecord
    {
        Assert.Equal(expected.Count, points.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var bucket = expected[i];
            var point = points[i];
            Assert.Equal(bucket.BucketStart, point.At);
            Assert.Equal(bucket.CpuTimeNs / (bucket.VcpuSeconds * 1e9) * 100, point.CpuPercent, 9);
            Assert.Equal(bucket.CpuPercentPeak, point.CpuPercentPeak, 9);
            Assert.Equal((long)Math.Round(bucket.MemoryKibSeconds / bucket.Seconds), point.MemoryKib);
            Assert.Equal((long)Math.Round(bucket.MemoryUsedKibSeconds / bucket.MemoryUsedSeconds), point.MemoryUsedKib);
            Assert.Equal(bucket.DiskReadBytes / bucket.Seconds, point.DiskReadBytesPerSecond, 9);
            Assert.Equal(bucket.NetRxBytes / bucket.Seconds, point.NetRxBytesPerSecond, 9);
        }
    }
}

internal static class UsageWindow
{
    /// <summary>A day of its own for a test, far from now and from other tests' days, so reports over it see only its rows.</summary>
    public static DateTimeOffset RandomDay() =>
        new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(Random.Shared.Next(0, 30_000));
}
