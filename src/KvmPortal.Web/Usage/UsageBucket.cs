namespace KvmPortal.Web.Usage;

/// <summary>
/// One stretch of usage in the shape every table can be read into (a raw sample, a 5-minute or an hourly bucket):
/// sums, peaks and counters, so buckets of any level add up into a coarser one exactly. CPU is busy nanoseconds over
/// the nanoseconds available (a VM's vCPU-seconds or a host's CPU time).
/// </summary>
internal sealed record UsageBucket(
    DateTimeOffset At,
    double Seconds,
    double CpuNs,
    double CpuCapacityNs,
    double CpuPercentPeak,
    double MemoryKibSeconds,
    double MemoryUsedKibSeconds,
    double MemoryUsedSeconds,
    long DiskReadBytes,
    long DiskWriteBytes,
    long NetRxBytes,
    long NetTxBytes)
{
    public UsageBucket Plus(UsageBucket other) => new(
        At < other.At ? At : other.At,
        Seconds + other.Seconds,
        CpuNs + other.CpuNs,
        CpuCapacityNs + other.CpuCapacityNs,
        Math.Max(CpuPercentPeak, other.CpuPercentPeak),
        MemoryKibSeconds + other.MemoryKibSeconds,
        MemoryUsedKibSeconds + other.MemoryUsedKibSeconds,
        MemoryUsedSeconds + other.MemoryUsedSeconds,
        DiskReadBytes + other.DiskReadBytes,
        DiskWriteBytes + other.DiskWriteBytes,
        NetRxBytes + other.NetRxBytes,
        NetTxBytes + other.NetTxBytes);

    /// <summary>The chart point: averages over the sampled seconds (throughput while sampled, not diluted by gaps).</summary>
    public UsagePoint ToPoint() => new(
        At,
        CpuCapacityNs > 0 ? CpuNs / CpuCapacityNs * 100 : 0,
        CpuPercentPeak,
        Seconds > 0 ? (long)Math.Round(MemoryKibSeconds / Seconds) : 0,
        MemoryUsedSeconds > 0 ? (long)Math.Round(MemoryUsedKibSeconds / MemoryUsedSeconds) : null,
        PerSecond(DiskReadBytes),
        PerSecond(DiskWriteBytes),
        PerSecond(NetRxBytes),
        PerSecond(NetTxBytes));

    private double PerSecond(long bytes) => Seconds > 0 ? bytes / Seconds : 0;

    /// <summary>The start of the bucket of <paramref name="resolution"/> holding <paramref name="time"/> (UTC, aligned to the epoch as PostgreSQL's date_bin).</summary>
    public static DateTimeOffset Floor(DateTimeOffset time, TimeSpan resolution)
    {
        var ticks = time.UtcTicks - (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) % resolution.Ticks;
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    /// <summary>Adds buckets up into one per <paramref name="resolution"/>, oldest first.</summary>
    public static IReadOnlyList<UsageBucket> Merge(IEnumerable<UsageBucket> buckets, TimeSpan resolution) =>
        [.. buckets.GroupBy(b => Floor(b.At, resolution))
            .Select(g => g.Aggregate((sum, next) => sum.Plus(next)) with { At = g.Key })
            .OrderBy(b => b.At)];
}
