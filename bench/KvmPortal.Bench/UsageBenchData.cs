using Npgsql;
using NpgsqlTypes;

namespace KvmPortal.Bench;

/// <summary>
/// Fills the usage tables with generate_series, in the database itself: hosts, teams (<c>teamVms</c> VMs each),
/// UsageVms, hourly buckets up to the last full hour, 5-minute buckets up to the last full 5 minutes, and 10-second
/// raw samples since, as the recorder and the rollup job would leave them. CPU and memory use are random per bucket.
/// </summary>
internal static class UsageBenchData
{
    private const int Hosts = 10;

    public static async Task<(Guid Vm, Guid Team)> FillAsync(string connectionString, int vms, int days, int teamVms, DateTimeOffset now)
    {
        var hourEnd = Floor(now, TimeSpan.FromHours(1));
        var fiveEnd = Floor(now, TimeSpan.FromMinutes(5));
        var start = hourEnd.AddDays(-days);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"""
            INSERT INTO "Hosts" ("Id", "Name", "Uri", "CreatedAt")
            SELECT gen_random_uuid(), 'bench-host-' || lpad(i::text, 4, '0'), 'test:///default?' || i, now() FROM generate_series(1, {Hosts}) i;
            INSERT INTO "Teams" ("Id", "Name", "CreatedAt", "QuotaCountsRunningOnly")
            SELECT gen_random_uuid(), 'bench-team-' || lpad(i::text, 4, '0'), now(), false FROM generate_series(0, {(vms + teamVms - 1) / teamVms - 1}) i;
            CREATE TABLE bench_vms AS
            SELECT gen_random_uuid() AS vm, i, h.ids[1 + i % {Hosts}] AS host, t.ids[1 + i / {teamVms}] AS team,
                   1 + i % 4 AS vcpus, (2 + 2 * (i % 4))::bigint * 1048576 AS memory_kib
            FROM generate_series(0, {vms - 1}) i,
                 (SELECT array_agg("Id" ORDER BY "Name") AS ids FROM "Hosts") h,
                 (SELECT array_agg("Id" ORDER BY "Name") AS ids FROM "Teams") t;
            INSERT INTO "UsageVms" ("VmUuid", "HostId", "Name", "TeamId", "FirstSeenAt", "LastSeenAt")
            SELECT vm, host, 'bench-vm-' || lpad(i::text, 5, '0'), team, @start, @now FROM bench_vms;
            """, start, hourEnd, fiveEnd, now);
        await ExecuteAsync(connection, Rollups("VmUsage1h", 3600, "@start", "@hourEnd"), start, hourEnd, fiveEnd, now);
        await ExecuteAsync(connection, Rollups("VmUsage5m", 300, "@start", "@fiveEnd"), start, hourEnd, fiveEnd, now);
        await ExecuteAsync(connection, RawSamples, start, hourEnd, fiveEnd, now);
        await ExecuteAsync(connection, "ANALYZE", start, hourEnd, fiveEnd, now);

        await using var pick = new NpgsqlCommand("SELECT vm, team FROM bench_vms WHERE i = 0", connection);
        await using var reader = await pick.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetGuid(0), reader.GetGuid(1));
    }

    public static async Task<string> CountsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var counts = new List<string>();
        foreach (var table in new[] { "VmUsage1h", "VmUsage5m", "VmSamples", "UsageVms" })
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\"", connection);
            counts.Add($"{table} {(long)(await count.ExecuteScalarAsync())!:N0}");
        }
        return string.Join(", ", counts);
    }

    /// <summary>Buckets of <paramref name="seconds"/> from <paramref name="from"/> up to (not including) <paramref name="until"/>, time-major as they arrive.</summary>
    private static string Rollups(string table, int seconds, string from, string until) => $"""
        INSERT INTO "{table}" ("VmUuid", "BucketStart", "HostId", "TeamId", "Samples", "Seconds", "CpuTimeNs", "CpuPercentPeak",
            "VcpuSeconds", "MemoryKibSeconds", "MemoryKibPeak", "MemoryUsedKibSeconds", "MemoryUsedSeconds", "MemoryUsedKibPeak",
            "DiskReadBytes", "DiskWriteBytes", "DiskReadRequests", "DiskWriteRequests", "NetRxBytes", "NetTxBytes",
            "DiskCapacityBytes", "DiskAllocationBytes")
        SELECT vm, b, host, team, {seconds / 10}, {seconds}, ({seconds} * vcpus * 1e9 * f)::bigint, least(100, f * 150), {seconds}.0 * vcpus,
               {seconds}.0 * memory_kib, memory_kib, {seconds}.0 * memory_kib * m, {seconds}, (memory_kib * least(1, m * 1.2))::bigint,
               (f * {seconds} * 1e6)::bigint, (f * {seconds} * 5e5)::bigint, (f * {seconds} * 10)::bigint, (f * {seconds} * 5)::bigint,
               (f * {seconds} * 2e5)::bigint, (f * {seconds} * 1e5)::bigint, 21474836480, 5368709120 + i * 4096
        FROM (SELECT v.*, b, 0.01 + 0.5 * random() AS f, 0.1 + 0.7 * random() AS m
              FROM generate_series({from}, {until} - interval '{seconds} seconds', interval '{seconds} seconds') b CROSS JOIN bench_vms v) x
        """;

    private const string RawSamples = """
        INSERT INTO "VmSamples" ("VmUuid", "SampledAt", "HostId", "TeamId", "IntervalSeconds", "CpuTimeNs", "Vcpus", "MemoryKib",
            "MemoryUsedKib", "DiskReadBytes", "DiskWriteBytes", "DiskReadRequests", "DiskWriteRequests", "NetRxBytes", "NetTxBytes",
            "DiskCapacityBytes", "DiskAllocationBytes")
        SELECT vm, s, host, team, 10, (10 * vcpus * 1e9 * f)::bigint, vcpus, memory_kib, (memory_kib * m)::bigint,
               (f * 1e7)::bigint, (f * 5e6)::bigint, (f * 100)::bigint, (f * 50)::bigint, (f * 2e6)::bigint, (f * 1e6)::bigint,
               21474836480, 5368709120 + i * 4096
        FROM (SELECT v.*, s, 0.01 + 0.5 * random() AS f, 0.1 + 0.7 * random() AS m
              FROM generate_series(@fiveEnd + interval '10 seconds', @now, interval '10 seconds') s CROSS JOIN bench_vms v) x
        """;

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, DateTimeOffset start, DateTimeOffset hourEnd,
        DateTimeOffset fiveEnd, DateTimeOffset now)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 1800 };
        foreach (var (name, value) in new[] { ("start", start), ("hourEnd", hourEnd), ("fiveEnd", fiveEnd), ("now", now) })
            if (sql.Contains('@' + name, StringComparison.Ordinal))
                command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.TimestampTz) { Value = value.UtcDateTime });
        await command.ExecuteNonQueryAsync();
    }

    private static DateTimeOffset Floor(DateTimeOffset time, TimeSpan width) =>
        new(time.UtcTicks - (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) % width.Ticks, TimeSpan.Zero);
}
