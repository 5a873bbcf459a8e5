using KvmPortal.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace KvmPortal.Web.Usage;

/// <summary>One VM's usage for one team over a report period, summed in PostgreSQL.</summary>
internal sealed record UsageReportRow(
    Guid VmUuid,
    Guid? TeamId,
    Guid HostId,
    string? VmName,
    string? HostName,
    string? TeamName,
    double CpuNs,
    double CpuPercentPeak,
    double VcpuSeconds,
    double MemoryKibSeconds,
    long MemoryKibPeak,
    long? MemoryUsedKibPeak,
    long DiskCapacityBytes,
    long DiskAllocationBytes);

/// <summary>
/// The report's one query. Hourly buckets that start in [From, To) are summed per VM and team; for the VMs seen in the
/// period (UsageVms), the 5-minute buckets after their last hourly one and the raw samples after their last 5-minute
/// one are added, so a report that ends now includes the last hour. Every part is read through a primary key or the
/// (team, bucket) index: a month of 200 VMs is 144,000 hourly rows, summed without leaving the database. The tails are
/// LATERAL subqueries with OFFSET 0 so that PostgreSQL looks them up per VM through the primary keys: joined plainly,
/// it estimates the tail as most of the 5-minute table and hashes all of it (seconds instead of milliseconds). Only
/// plain aggregates, so the grouping is a small hash table (ordered aggregates for "the last row's host and disk" made
/// PostgreSQL sort every row): rows are summed per VM, team and host, the disk figures of the last row come from the
/// largest [time, capacity, allocation] array, and the host parts of a migrated VM are added up here.
/// A VM that changed teams during the period is one row per team: usage stays with the team that had it. (The tails
/// are looked for among the VMs UsageVms puts in the scope now, so the not yet rolled-up minutes of a VM that has just
/// left a team are missing from that team's report until the rollup job reaches them.)
/// </summary>
internal static class UsageReportReader
{
    public static async Task<List<UsageReportRow>> ReadAsync(KvmPortalDbContext db, UsageReportQuery query, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(Sql(scoped: query.Teams is not null), connection);
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = query.From.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = query.To.ToUniversalTime() });
        if (query.Teams is not null)
            command.Parameters.Add(new NpgsqlParameter("teams", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = query.Teams.ToArray() });

        var parts = new List<(UsageReportRow Row, DateTimeOffset LastAt)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            parts.Add((new UsageReportRow(
                reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetGuid(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetDouble(6), reader.GetDouble(7), reader.GetDouble(8), reader.GetDouble(9), reader.GetInt64(10),
                reader.IsDBNull(11) ? null : reader.GetInt64(11), reader.GetInt64(12), reader.GetInt64(13)),
                reader.GetFieldValue<DateTimeOffset>(14)));
        }
        return [.. parts.GroupBy(p => (p.Row.VmUuid, p.Row.TeamId)).Select(Combine)];
    }

    /// <summary>One VM's parts on several hosts (it migrated) as one row: the host and disk figures of the latest part.</summary>
    private static UsageReportRow Combine(IEnumerable<(UsageReportRow Row, DateTimeOffset LastAt)> parts)
    {
        var rows = parts.OrderByDescending(p => p.LastAt).Select(p => p.Row).ToList();
        var usedPeaks = rows.Where(r => r.MemoryUsedKibPeak is not null).Select(r => r.MemoryUsedKibPeak!.Value).ToList();
        return rows[0] with
        {
            CpuNs = rows.Sum(r => r.CpuNs),
            CpuPercentPeak = rows.Max(r => r.CpuPercentPeak),
            VcpuSeconds = rows.Sum(r => r.VcpuSeconds),
            MemoryKibSeconds = rows.Sum(r => r.MemoryKibSeconds),
            MemoryKibPeak = rows.Max(r => r.MemoryKibPeak),
            MemoryUsedKibPeak = usedPeaks.Count > 0 ? usedPeaks.Max() : null,
        };
    }

    /// <summary>The query; with <paramref name="scoped"/> every part is limited to the teams in @teams.</summary>
    public static string Sql(bool scoped)
    {
        var team = scoped ? """AND "TeamId" = ANY(@teams)""" : "";
        var fiveTeam = scoped ? """AND f."TeamId" = ANY(@teams)""" : "";
        var rawTeam = scoped ? """AND s."TeamId" = ANY(@teams)""" : "";
        return $"""
            WITH seen AS (
                SELECT "VmUuid" FROM "UsageVms" WHERE "LastSeenAt" >= @from AND "FirstSeenAt" < @to {team}
            ),
            after_hours AS (
                SELECT seen."VmUuid", GREATEST(@from, COALESCE((SELECT max(h."BucketStart") + interval '1 hour' FROM "VmUsage1h" h
                    WHERE h."VmUuid" = seen."VmUuid" AND h."BucketStart" >= @from AND h."BucketStart" < @to), @from)) AS since
                FROM seen
            ),
            tails AS (
                SELECT a."VmUuid", a.since AS five_since, GREATEST(a.since, COALESCE((SELECT max(f."BucketStart") + interval '5 minutes' FROM "VmUsage5m" f
                    WHERE f."VmUuid" = a."VmUuid" AND f."BucketStart" >= a.since AND f."BucketStart" < @to), a.since)) AS raw_since
                FROM after_hours a
            ),
            usage AS (
                SELECT "VmUuid", "BucketStart" AS at, "HostId", "TeamId", "CpuTimeNs"::float8 AS cpu_ns, "CpuPercentPeak" AS cpu_peak,
                       "VcpuSeconds" AS vcpu_s, "MemoryKibSeconds" AS memory_kib_s, "MemoryKibPeak" AS memory_peak,
                       "MemoryUsedKibPeak" AS memory_used_peak, "DiskCapacityBytes" AS disk_capacity, "DiskAllocationBytes" AS disk_allocation
                FROM "VmUsage1h" WHERE "BucketStart" >= @from AND "BucketStart" < @to {team}
                UNION ALL
                SELECT f.* FROM tails t CROSS JOIN LATERAL (
                    SELECT f."VmUuid", f."BucketStart", f."HostId", f."TeamId", f."CpuTimeNs"::float8, f."CpuPercentPeak",
                           f."VcpuSeconds", f."MemoryKibSeconds", f."MemoryKibPeak", f."MemoryUsedKibPeak", f."DiskCapacityBytes", f."DiskAllocationBytes"
                    FROM "VmUsage5m" f WHERE f."VmUuid" = t."VmUuid" AND f."BucketStart" >= t.five_since AND f."BucketStart" < @to {fiveTeam}
                    OFFSET 0) f
                UNION ALL
                SELECT s.* FROM tails t CROSS JOIN LATERAL (
                    SELECT s."VmUuid", s."SampledAt", s."HostId", s."TeamId", s."CpuTimeNs"::float8,
                           s."CpuTimeNs" / (s."IntervalSeconds" * s."Vcpus" * 1e9) * 100,
                           s."IntervalSeconds" * s."Vcpus", s."IntervalSeconds" * s."MemoryKib", s."MemoryKib", s."MemoryUsedKib",
                           s."DiskCapacityBytes", s."DiskAllocationBytes"
                    FROM "VmSamples" s WHERE s."VmUuid" = t."VmUuid" AND s."SampledAt" >= t.raw_since AND s."SampledAt" < @to
                        AND s."IntervalSeconds" > 0 AND s."Vcpus" > 0 {rawTeam}
                    OFFSET 0) s
            ),
            per_host AS (
                SELECT "VmUuid", "TeamId", "HostId", max(at) AS last_at,
                       sum(cpu_ns) AS cpu_ns, max(cpu_peak) AS cpu_peak, sum(vcpu_s) AS vcpu_s, sum(memory_kib_s) AS memory_kib_s,
                       max(memory_peak) AS memory_peak, max(memory_used_peak) AS memory_used_peak,
                       max(ARRAY[extract(epoch FROM at)::float8, disk_capacity::float8, disk_allocation::float8]) AS last_disk
                FROM usage GROUP BY "VmUuid", "TeamId", "HostId"
            )
            SELECT p."VmUuid", p."TeamId", p."HostId", v."Name", h."Name", tm."Name",
                   p.cpu_ns, p.cpu_peak, p.vcpu_s, p.memory_kib_s, p.memory_peak, p.memory_used_peak,
                   p.last_disk[2]::bigint, p.last_disk[3]::bigint, p.last_at
            FROM per_host p
            LEFT JOIN "UsageVms" v ON v."VmUuid" = p."VmUuid"
            LEFT JOIN "Hosts" h ON h."Id" = p."HostId"
            LEFT JOIN "Teams" tm ON tm."Id" = p."TeamId"
            """;
    }
}
