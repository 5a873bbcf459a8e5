using KvmPortal.Web.Data;
using KvmPortal.Web.Data.Usage;
using Microsoft.EntityFrameworkCore;

namespace KvmPortal.Web.Usage;

/// <summary>One level of the usage tables: how wide its rows are, and its rows of one VM or host from a time on.</summary>
internal sealed record UsageTier(TimeSpan Width, Func<DateTimeOffset, CancellationToken, Task<List<UsageBucket>>> ReadFrom);

/// <summary>The usage tables of one VM or one host as tiers (hourly, 5-minute, raw), read into <see cref="UsageBucket"/>s.</summary>
internal static class UsageTiers
{
    public static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan OneHour = TimeSpan.FromHours(1);

    public static UsageTier VmHours(KvmPortalDbContext db, Guid vm) => new(OneHour, (from, ct) => VmRollups(db.VmUsage1h, vm, from).ToListAsync(ct));

    public static UsageTier VmFiveMinutes(KvmPortalDbContext db, Guid vm) => new(FiveMinutes, (from, ct) => VmRollups(db.VmUsage5m, vm, from).ToListAsync(ct));

    /// <summary>Raw samples; the first of a VM (no interval yet) has nothing to say about CPU and is left out.</summary>
    public static UsageTier VmRaw(KvmPortalDbContext db, Guid vm) => new(TimeSpan.Zero, (from, ct) => db.VmSamples.AsNoTracking()
        .Where(s => s.VmUuid == vm && s.SampledAt >= from && s.IntervalSeconds > 0 && s.Vcpus > 0)
        .OrderBy(s => s.SampledAt)
        .Select(s => new UsageBucket(s.SampledAt, s.IntervalSeconds, s.CpuTimeNs, s.IntervalSeconds * s.Vcpus * 1e9,
            s.CpuTimeNs / (s.IntervalSeconds * s.Vcpus * 1e9) * 100,
            s.MemoryKib * s.IntervalSeconds,
            s.MemoryUsedKib == null ? 0 : s.MemoryUsedKib.Value * s.IntervalSeconds,
            s.MemoryUsedKib == null ? 0 : s.IntervalSeconds,
            s.DiskReadBytes, s.DiskWriteBytes, s.NetRxBytes, s.NetTxBytes))
        .ToListAsync(ct));

    public static UsageTier HostHours(KvmPortalDbContext db, Guid host) => new(OneHour, (from, ct) => HostRollups(db.HostUsage1h, host, from).ToListAsync(ct));

    public static UsageTier HostFiveMinutes(KvmPortalDbContext db, Guid host) => new(FiveMinutes, (from, ct) => HostRollups(db.HostUsage5m, host, from).ToListAsync(ct));

    public static UsageTier HostRaw(KvmPortalDbContext db, Guid host) => new(TimeSpan.Zero, (from, ct) => db.HostSamples.AsNoTracking()
        .Where(s => s.HostId == host && s.SampledAt >= from && s.IntervalSeconds > 0 && s.CpuTotalNs > 0)
        .OrderBy(s => s.SampledAt)
        .Select(s => new UsageBucket(s.SampledAt, s.IntervalSeconds, s.CpuBusyNs, s.CpuTotalNs, (double)s.CpuBusyNs / s.CpuTotalNs * 100,
            s.MemoryTotalKib * s.IntervalSeconds, s.MemoryUsedKib * s.IntervalSeconds, s.IntervalSeconds, 0, 0, 0, 0))
        .ToListAsync(ct));

    private static IQueryable<UsageBucket> VmRollups<T>(DbSet<T> table, Guid vm, DateTimeOffset from) where T : VmUsageRollupRecord =>
        table.AsNoTracking()
            .Where(r => r.VmUuid == vm && r.BucketStart >= from)
            .OrderBy(r => r.BucketStart)
            .Select(r => new UsageBucket(r.BucketStart, r.Seconds, r.CpuTimeNs, r.VcpuSeconds * 1e9, r.CpuPercentPeak,
                r.MemoryKibSeconds, r.MemoryUsedKibSeconds, r.MemoryUsedSeconds,
                r.DiskReadBytes, r.DiskWriteBytes, r.NetRxBytes, r.NetTxBytes));

    private static IQueryable<UsageBucket> HostRollups<T>(DbSet<T> table, Guid host, DateTimeOffset from) where T : HostUsageRollupRecord =>
        table.AsNoTracking()
            .Where(r => r.HostId == host && r.BucketStart >= from)
            .OrderBy(r => r.BucketStart)
            .Select(r => new UsageBucket(r.BucketStart, r.Seconds, r.CpuBusyNs, r.CpuTotalNs, r.CpuPercentPeak,
                r.MemoryTotalKib * r.Seconds, r.MemoryUsedKibSeconds, r.Seconds, 0, 0, 0, 0));
}
