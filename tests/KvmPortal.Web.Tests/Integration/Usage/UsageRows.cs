using KvmPortal.Web.Data;
using KvmPortal.Web.Data.Usage;
using Microsoft.EntityFrameworkCore;

namespace KvmPortal.Web.Tests.Integration.Usage;

/// <summary>What a generated VM does: its allocation, and its CPU use and guest-reported memory by sample number.</summary>
public sealed record VmBehaviour(int Vcpus, long MemoryKib, Func<int, double> CpuFraction, Func<int, long?> MemoryUsedKib)
{
    public static VmBehaviour Steady(double cpuFraction, double? memoryUsedFraction, int vcpus = 2, long memoryKib = 4 * 1024 * 1024) =>
        new(vcpus, memoryKib, _ => cpuFraction, _ => memoryUsedFraction is { } used ? (long)(memoryKib * used) : null);
}

/// <summary>
/// Usage rows written straight into the tables, as the recorder and the rollup job would leave them: raw samples
/// generated from a behaviour, and 5-minute and hourly buckets summed from those samples here (the reference the
/// queries are checked against).
/// </summary>
public static class UsageRows
{
    public static List<VmSampleRecord> Samples(Guid vm, Guid host, Guid? team, DateTimeOffset from, DateTimeOffset to,
        TimeSpan interval, VmBehaviour behaviour)
    {
        var samples = new List<VmSampleRecord>();
        var index = 0;
        for (var at = from + interval; at <= to; at += interval, index++)
        {
            samples.Add(new VmSampleRecord
            {
                VmUuid = vm, SampledAt = at, HostId = host, TeamId = team, IntervalSeconds = interval.TotalSeconds,
                Vcpus = behaviour.Vcpus,
                CpuTimeNs = (long)(behaviour.CpuFraction(index) * behaviour.Vcpus * interval.TotalSeconds * 1e9),
                MemoryKib = behaviour.MemoryKib, MemoryUsedKib = behaviour.MemoryUsedKib(index),
                DiskReadBytes = 1000 + index, DiskWriteBytes = 2000 + 2 * index, DiskReadRequests = 3, DiskWriteRequests = 4,
                NetRxBytes = 500 + index % 7, NetTxBytes = 700,
                DiskCapacityBytes = 20L << 30, DiskAllocationBytes = (5L << 30) + index * 4096,
            });
        }
        return samples;
    }

    /// <summary>The samples summed into buckets of <paramref name="width"/>, as the rollup job defines them.</summary>
    public static List<T> Rollup<T>(IEnumerable<VmSampleRecord> samples, TimeSpan width) where T : VmUsageRollupRecord, new() =>
        [.. samples.GroupBy(s => (s.VmUuid, Bucket: Floor(s.SampledAt, width))).Select(g =>
        {
            var last = g.MaxBy(s => s.SampledAt)!;
            var used = g.Where(s => s.MemoryUsedKib is not null).ToList();
            return new T
            {
                VmUuid = g.Key.VmUuid, BucketStart = g.Key.Bucket, HostId = last.HostId, TeamId = last.TeamId,
                Samples = g.Count(), Seconds = g.Sum(s => s.IntervalSeconds), CpuTimeNs = g.Sum(s => s.CpuTimeNs),
                CpuPercentPeak = g.Max(CpuPercent), VcpuSeconds = g.Sum(s => s.IntervalSeconds * s.Vcpus),
                MemoryKibSeconds = g.Sum(s => s.MemoryKib * s.IntervalSeconds), MemoryKibPeak = g.Max(s => s.MemoryKib),
                MemoryUsedKibSeconds = used.Sum(s => s.MemoryUsedKib!.Value * s.IntervalSeconds),
                MemoryUsedSeconds = used.Sum(s => s.IntervalSeconds), MemoryUsedKibPeak = used.Count > 0 ? used.Max(s => s.MemoryUsedKib) : null,
                DiskReadBytes = g.Sum(s => s.DiskReadBytes), DiskWriteBytes = g.Sum(s => s.DiskWriteBytes),
                DiskReadRequests = g.Sum(s => s.DiskReadRequests), DiskWriteRequests = g.Sum(s => s.DiskWriteRequests),
                NetRxBytes = g.Sum(s => s.NetRxBytes), NetTxBytes = g.Sum(s => s.NetTxBytes),
                DiskCapacityBytes = last.DiskCapacityBytes, DiskAllocationBytes = last.DiskAllocationBytes,
            };
        })];

    public static double CpuPercent(VmSampleRecord sample) => sample.CpuTimeNs / (sample.IntervalSeconds * sample.Vcpus * 1e9) * 100;

    public static DateTimeOffset Floor(DateTimeOffset time, TimeSpan width) =>
        new(time.UtcTicks - (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) % width.Ticks, TimeSpan.Zero);

    /// <summary>
    /// Writes the samples as the tables would hold them at <paramref name="hoursDoneBefore"/> /
    /// <paramref name="fiveMinutesDoneBefore"/>: buckets that end by then rolled up, raw samples kept from
    /// <paramref name="rawKeptFrom"/> on; and the VM in UsageVms.
    /// </summary>
    public static async Task WriteAsync(IDbContextFactory<KvmPortalDbContext> contexts, string name, IReadOnlyList<VmSampleRecord> samples,
        DateTimeOffset hoursDoneBefore, DateTimeOffset fiveMinutesDoneBefore, DateTimeOffset rawKeptFrom)
    {
        await using var db = await contexts.CreateDbContextAsync();
        db.VmUsage1h.AddRange(Rollup<VmUsage1hRecord>(samples, TimeSpan.FromHours(1)).Where(b => b.BucketStart + TimeSpan.FromHours(1) <= hoursDoneBefore));
        db.VmUsage5m.AddRange(Rollup<VmUsage5mRecord>(samples, TimeSpan.FromMinutes(5)).Where(b => b.BucketStart + TimeSpan.FromMinutes(5) <= fiveMinutesDoneBefore));
        db.VmSamples.AddRange(samples.Where(s => s.SampledAt >= rawKeptFrom));
        var first = samples[0];
        var last = samples[^1];
        db.UsageVms.Add(new UsageVmRecord
        {
            VmUuid = first.VmUuid, HostId = last.HostId, TeamId = last.TeamId, Name = name,
            FirstSeenAt = first.SampledAt, LastSeenAt = last.SampledAt,
        });
        await db.SaveChangesAsync();
    }
}
