using KvmPortal.Web.Data;
using KvmPortal.Web.Data.Usage;
using KvmPortal.Web.Usage;
using KvmPortal.Web.Usage.Recording;
using KvmPortal.Web.Usage.Rollup;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Tests.Integration.Usage;

/// <summary>The rollup job on generated raw data, checked against the same figures computed here from the raw rows.</summary>
public sealed class UsageRollupTests(UsageDatabase database) : IClassFixture<UsageDatabase>
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task FiveMinuteAndHourBucketsMatchTheRawSamplesAndAReRunChangesNothingButLateRows()
    {
        // Two whole hours and a bit of raw samples, ending before "now" (the job's clock).
        var hour = Floor(DateTimeOffset.UtcNow, TimeSpan.FromHours(1));
        var start = hour.AddHours(-2);
        var now = hour.AddMinutes(20);
        var host = Guid.NewGuid();
        var (vms, hosts) = Generate(host, start, now.AddSeconds(-1));
        await InsertAsync(vms, hosts);
        var job = Job();

        Assert.True(await job.RunAtAsync(now, default));

        await using (var db = new KvmPortalDbContext(database.Options))
        {
            var fiveMinutes = await db.Set<VmUsage5mRecord>().ToListAsync();
            var expected5m = vms.GroupBy(s => (s.VmUuid, Bucket: Floor(s.SampledAt, TimeSpan.FromMinutes(5)))).ToList();
            Assert.Equal(expected5m.Count, fiveMinutes.Count);
            foreach (var group in expected5m)
                AssertMatches([.. group], fiveMinutes.Single(r => r.VmUuid == group.Key.VmUuid && r.BucketStart == group.Key.Bucket));

            var hours = await db.Set<VmUsage1hRecord>().ToListAsync();
            var expected1h = vms.Where(s => s.SampledAt < hour).GroupBy(s => (s.VmUuid, Bucket: Floor(s.SampledAt, TimeSpan.FromHours(1)))).ToList();
            Assert.Equal(expected1h.Count, hours.Count); // the hour still running is not rolled up
            foreach (var group in expected1h)
                AssertMatches([.. group], hours.Single(r => r.VmUuid == group.Key.VmUuid && r.BucketStart == group.Key.Bucket));

            var hostHours = await db.Set<HostUsage1hRecord>().Where(h => h.HostId == host).OrderBy(h => h.BucketStart).ToListAsync();
            Assert.Equal(2, hostHours.Count);
            var firstHour = hosts.Where(h => h.SampledAt < start.AddHours(1)).ToList();
            Assert.Equal(firstHour.Count, hostHours[0].Samples);
            Assert.Equal(firstHour.Sum(h => h.CpuBusyNs), hostHours[0].CpuBusyNs);
            Assert.Equal(firstHour.Sum(h => h.CpuTotalNs), hostHours[0].CpuTotalNs);
            Assert.Equal(firstHour.Max(h => h.MemoryUsedKib), hostHours[0].MemoryUsedKibPeak);
            Assert.Equal(firstHour.Sum(h => h.IntervalSeconds * h.MemoryUsedKib), hostHours[0].MemoryUsedKibSeconds, 1e-6);
            Assert.Equal(firstHour.Where(h => h.CpuTotalNs > 0).Max(h => h.CpuBusyNs * 100.0 / h.CpuTotalNs), hostHours[0].CpuPercentPeak, 1e-9);
        }

        var before = await SnapshotAsync();
        Assert.True(await job.RunAtAsync(now, default));
        Assert.Equal(before, await SnapshotAsync());

        // A row arriving late for a bucket already rolled up is counted by the next pass.
        var last = vms[^1];
        var late = Copy(last, last.SampledAt.AddSeconds(-7));
        late.CpuTimeNs = 777_000_000;
        await InsertAsync([late], []);
        Assert.True(await job.RunAtAsync(now.AddSeconds(30), default));
        var lateBucket = Floor(late.SampledAt, TimeSpan.FromMinutes(5));
        var expectedCpu = vms.Where(s => s.VmUuid == late.VmUuid && Floor(s.SampledAt, TimeSpan.FromMinutes(5)) == lateBucket).Sum(s => s.CpuTimeNs) + late.CpuTimeNs;
        Assert.Equal(expectedCpu, await database.ScalarAsync<long>(
            """SELECT "CpuTimeNs" FROM "VmUsage5m" WHERE "VmUuid" = $1 AND "BucketStart" = $2""", late.VmUuid, lateBucket));
    }

    [Fact]
    public async Task OnlyOneInstanceRunsTheJobAtATime()
    {
        await using var holder = await database.OpenAsync();
        await using (var take = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({UsageLockKeys.Rollup}, 0)", holder))
            await take.ExecuteNonQueryAsync();

        Assert.False(await Job().RunAtAsync(DateTimeOffset.UtcNow, default));

        await using (var release = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_unlock({UsageLockKeys.Rollup}, 0)", holder))
            await release.ExecuteNonQueryAsync();
        Assert.True(await Job().RunAtAsync(DateTimeOffset.UtcNow, default));
    }

    private static void AssertMatches(IReadOnlyList<VmSampleRecord> raw, VmUsageRollupRecord rollup)
    {
        var lastRow = raw.MaxBy(s => s.SampledAt)!;
        Assert.Equal(raw.Count, rollup.Samples);
        Assert.Equal(raw.Sum(s => s.IntervalSeconds), rollup.Seconds, 1e-6);
        Assert.Equal(raw.Sum(s => s.CpuTimeNs), rollup.CpuTimeNs);
        var peaks = raw.Where(s => s.IntervalSeconds > 0).Select(s => s.CpuTimeNs / (s.IntervalSeconds * 1e9 * s.Vcpus) * 100).ToList();
        Assert.Equal(peaks.Count == 0 ? 0 : peaks.Max(), rollup.CpuPercentPeak, 1e-9);
        Assert.Equal(raw.Sum(s => s.IntervalSeconds * s.Vcpus), rollup.VcpuSeconds, 1e-6);
        Assert.Equal(raw.Sum(s => s.IntervalSeconds * s.MemoryKib), rollup.MemoryKibSeconds, 1e-3);
        Assert.Equal(raw.Max(s => s.MemoryKib), rollup.MemoryKibPeak);
        Assert.Equal(raw.Sum(s => s.IntervalSeconds * (s.MemoryUsedKib ?? 0)), rollup.MemoryUsedKibSeconds, 1e-3);
        Assert.Equal(raw.Where(s => s.MemoryUsedKib is not null).Sum(s => s.IntervalSeconds), rollup.MemoryUsedSeconds, 1e-6);
        Assert.Equal(raw.Max(s => s.MemoryUsedKib), rollup.MemoryUsedKibPeak);
        Assert.Equal(raw.Sum(s => s.DiskReadBytes), rollup.DiskReadBytes);
        Assert.Equal(raw.Sum(s => s.DiskWriteRequests), rollup.DiskWriteRequests);
        Assert.Equal(raw.Sum(s => s.NetTxBytes), rollup.NetTxBytes);
        Assert.Equal(lastRow.DiskAllocationBytes, rollup.DiskAllocationBytes);
        Assert.Equal(lastRow.TeamId, rollup.TeamId);
        Assert.Equal(lastRow.HostId, rollup.HostId);
        // The averages the pages show, from the sums.
        var average = raw.Sum(s => (double)s.CpuTimeNs) / (raw.Sum(s => s.IntervalSeconds * s.Vcpus) * 1e9) * 100;
        Assert.Equal(average, rollup.CpuTimeNs / (rollup.VcpuSeconds * 1e9) * 100, 1e-9);
    }

    private static (List<VmSampleRecord> Vms, List<HostSampleRecord> Hosts) Generate(Guid host, DateTimeOffset from, DateTimeOffset to)
    {
        var random = new Random(8);
        var teamA = Guid.NewGuid();
        var teamB = Guid.NewGuid();
        var vmIds = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToArray();
        var vms = new List<VmSampleRecord>();
        var hosts = new List<HostSampleRecord>();
        for (var (at, first) = (from, true); at < to; at += Step, first = false)
        {
            var seconds = first ? 0 : Step.TotalSeconds;
            for (var i = 0; i < vmIds.Length; i++)
            {
                var vcpus = i + 1;
                vms.Add(new VmSampleRecord
                {
                    VmUuid = vmIds[i], SampledAt = at, HostId = host,
                    TeamId = i == 0 ? (at < from.AddMinutes(47) ? teamA : teamB) : i == 1 ? teamA : null,
                    IntervalSeconds = seconds, Vcpus = vcpus,
                    CpuTimeNs = first ? 0 : (long)(random.NextDouble() * seconds * 1e9 * vcpus),
                    MemoryKib = 1_048_576 * (i + 1) + (at.Minute / 30 * 4096),
                    MemoryUsedKib = i == 2 || random.Next(10) == 0 ? null : random.Next(100_000, 900_000),
                    DiskReadBytes = first ? 0 : random.Next(0, 5_000_000), DiskWriteBytes = first ? 0 : random.Next(0, 5_000_000),
                    DiskReadRequests = first ? 0 : random.Next(0, 500), DiskWriteRequests = first ? 0 : random.Next(0, 500),
                    NetRxBytes = first ? 0 : random.Next(0, 1_000_000), NetTxBytes = first ? 0 : random.Next(0, 1_000_000),
                    DiskCapacityBytes = 10_737_418_240, DiskAllocationBytes = 1_000_000_000 + (long)(at - from).TotalSeconds * 1000,
                });
            }
            var total = first ? 0 : (long)(seconds * 4e9);
            hosts.Add(new HostSampleRecord
            {
                HostId = host, SampledAt = at, IntervalSeconds = seconds, Cpus = 4,
                CpuBusyNs = (long)(total * random.NextDouble()), CpuTotalNs = total,
                MemoryTotalKib = 16_777_216, MemoryUsedKib = random.Next(1_000_000, 9_000_000),
            });
        }
        return (vms, hosts);
    }

    private async Task InsertAsync(IEnumerable<VmSampleRecord> vms, IEnumerable<HostSampleRecord> hosts)
    {
        var hostRows = hosts.ToDictionary(h => h.SampledAt);
        await using var connection = await database.OpenAsync();
        foreach (var group in vms.GroupBy(v => (v.HostId, v.SampledAt)))
        {
            var interval = new UsageInterval(group.Key.HostId, group.Key.SampledAt, hostRows.GetValueOrDefault(group.Key.SampledAt),
                [.. group.Select(v => new RecordedVm(v, "vm-" + v.VmUuid.ToString("N")[..6]))]);
            await using var batch = UsageBatch.Create(interval);
            batch.Connection = connection;
            await batch.ExecuteNonQueryAsync();
        }
    }

    private async Task<string> SnapshotAsync() => await database.ScalarAsync<string>("""
        SELECT string_agg(t::text, '|' ORDER BY t::text) FROM (
            SELECT r::text AS t FROM "VmUsage5m" r UNION ALL SELECT r::text FROM "VmUsage1h" r
            UNION ALL SELECT r::text FROM "HostUsage5m" r UNION ALL SELECT r::text FROM "HostUsage1h" r) all_rows
        """);

    private UsageRollupJob Job() =>
        new(new UsageConnectionString(database.ConnectionString), Options.Create(new UsageOptions()), TimeProvider.System, NullLogger<UsageRollupJob>.Instance);

    private static VmSampleRecord Copy(VmSampleRecord s, DateTimeOffset at) => new()
    {
        VmUuid = s.VmUuid, SampledAt = at, HostId = s.HostId, TeamId = s.TeamId, IntervalSeconds = 3, Vcpus = s.Vcpus,
        MemoryKib = s.MemoryKib, MemoryUsedKib = s.MemoryUsedKib, DiskCapacityBytes = s.DiskCapacityBytes,
        DiskAllocationBytes = s.DiskAllocationBytes,
    };

    private static DateTimeOffset Floor(DateTimeOffset time, TimeSpan width) =>
        new(time.UtcTicks - time.UtcTicks % width.Ticks, TimeSpan.Zero);
}
