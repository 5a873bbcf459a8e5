namespace KvmPortal.Web.Usage.Rollup;

/// <summary>
/// The aggregation statements: finished buckets in [$1, $2) from the finer level, upserted so a re-run (or late rows)
/// just recompute the same buckets. Field semantics are in VmUsageRollupRecord and HostUsageRollupRecord: every field is
/// a sum, a maximum or the value of the bucket's last row, so hours computed from 5-minute buckets equal hours
/// computed from raw samples.
/// </summary>
public static class UsageRollupSql
{
    private const string VmColumns = """
        "VmUuid", "BucketStart", "HostId", "TeamId", "Samples", "Seconds", "CpuTimeNs", "CpuPercentPeak", "VcpuSeconds",
        "MemoryKibSeconds", "MemoryKibPeak", "MemoryUsedKibSeconds", "MemoryUsedSeconds", "MemoryUsedKibPeak",
        "DiskReadBytes", "DiskWriteBytes", "DiskReadRequests", "DiskWriteRequests", "NetRxBytes", "NetTxBytes",
        "DiskCapacityBytes", "DiskAllocationBytes"
        """;

    private const string HostColumns = """
        "HostId", "BucketStart", "Samples", "Seconds", "CpuBusyNs", "CpuTotalNs", "CpuPercentPeak", "MemoryTotalKib",
        "MemoryUsedKibSeconds", "MemoryUsedKibPeak"
        """;

    // The CPU % of one raw sample; null (ignored by max) for a first sample, which covers no time.
    private const string RawCpuPercent = """s."CpuTimeNs" / nullif(s."IntervalSeconds" * 1e9 * s."Vcpus", 0) * 100""";

    public static string VmFiveMinutes => $"""
        INSERT INTO "VmUsage5m" ({VmColumns})
        SELECT s."VmUuid", {Bucket("5 minutes")},
            {Last("HostId")}, {Last("TeamId")},
            count(*), sum(s."IntervalSeconds"), sum(s."CpuTimeNs"), coalesce(max({RawCpuPercent}), 0),
            sum(s."IntervalSeconds" * s."Vcpus"),
            sum(s."IntervalSeconds" * s."MemoryKib"), max(s."MemoryKib"),
            coalesce(sum(s."IntervalSeconds" * s."MemoryUsedKib"), 0),
            coalesce(sum(s."IntervalSeconds") FILTER (WHERE s."MemoryUsedKib" IS NOT NULL), 0), max(s."MemoryUsedKib"),
            sum(s."DiskReadBytes"), sum(s."DiskWriteBytes"), sum(s."DiskReadRequests"), sum(s."DiskWriteRequests"),
            sum(s."NetRxBytes"), sum(s."NetTxBytes"),
            {Last("DiskCapacityBytes")}, {Last("DiskAllocationBytes")}
        FROM "VmSamples" s
        WHERE s."SampledAt" >= $1 AND s."SampledAt" < $2
        GROUP BY s."VmUuid", 2
        {UpdateAll(VmColumns, "VmUuid")}
        """;

    public static string VmHours => $"""
        INSERT INTO "VmUsage1h" ({VmColumns})
        SELECT s."VmUuid", {Bucket("1 hour", "BucketStart")},
            {Last("HostId", "BucketStart")}, {Last("TeamId", "BucketStart")},
            sum(s."Samples"), sum(s."Seconds"), sum(s."CpuTimeNs"), max(s."CpuPercentPeak"),
            sum(s."VcpuSeconds"), sum(s."MemoryKibSeconds"), max(s."MemoryKibPeak"),
            sum(s."MemoryUsedKibSeconds"), sum(s."MemoryUsedSeconds"), max(s."MemoryUsedKibPeak"),
            sum(s."DiskReadBytes"), sum(s."DiskWriteBytes"), sum(s."DiskReadRequests"), sum(s."DiskWriteRequests"),
            sum(s."NetRxBytes"), sum(s."NetTxBytes"),
            {Last("DiskCapacityBytes", "BucketStart")}, {Last("DiskAllocationBytes", "BucketStart")}
        FROM "VmUsage5m" s
        WHERE s."BucketStart" >= $1 AND s."BucketStart" < $2
        GROUP BY s."VmUuid", 2
        {UpdateAll(VmColumns, "VmUuid")}
        """;

    public static string HostFiveMinutes => $"""
        INSERT INTO "HostUsage5m" ({HostColumns})
        SELECT s."HostId", {Bucket("5 minutes")},
            count(*), sum(s."IntervalSeconds"), sum(s."CpuBusyNs"), sum(s."CpuTotalNs"),
            coalesce(max(s."CpuBusyNs"::float8 / nullif(s."CpuTotalNs", 0) * 100), 0),
            {Last("MemoryTotalKib")},
            sum(s."IntervalSeconds" * s."MemoryUsedKib"), max(s."MemoryUsedKib")
        FROM "HostSamples" s
        WHERE s."SampledAt" >= $1 AND s."SampledAt" < $2
        GROUP BY s."HostId", 2
        {UpdateAll(HostColumns, "HostId")}
        """;

    public static string HostHours => $"""
        INSERT INTO "HostUsage1h" ({HostColumns})
        SELECT s."HostId", {Bucket("1 hour", "BucketStart")},
            sum(s."Samples"), sum(s."Seconds"), sum(s."CpuBusyNs"), sum(s."CpuTotalNs"), max(s."CpuPercentPeak"),
            {Last("MemoryTotalKib", "BucketStart")},
            sum(s."MemoryUsedKibSeconds"), max(s."MemoryUsedKibPeak")
        FROM "HostUsage5m" s
        WHERE s."BucketStart" >= $1 AND s."BucketStart" < $2
        GROUP BY s."HostId", 2
        {UpdateAll(HostColumns, "HostId")}
        """;

    /// <summary>Deletes a rollup table's buckets older than $1.</summary>
    public static string DeleteBefore(string table) => $"""DELETE FROM "{table}" WHERE "BucketStart" < $1""";

    private static string Bucket(string width, string time = "SampledAt") =>
        $"""date_bin('{width}', s."{time}", TIMESTAMPTZ '2000-01-01 00:00:00+00')""";

    private static string Last(string column, string time = "SampledAt") =>
        $"""(array_agg(s."{column}" ORDER BY s."{time}" DESC))[1]""";

    private static string UpdateAll(string columns, string key)
    {
        var updated = columns.Split(',').Select(c => c.Trim()).Where(c => c != $"\"{key}\"" && c != "\"BucketStart\"");
        return $"""ON CONFLICT ("{key}", "BucketStart") DO UPDATE SET {string.Join(", ", updated.Select(c => $"{c} = EXCLUDED.{c}"))}""";
    }
}
