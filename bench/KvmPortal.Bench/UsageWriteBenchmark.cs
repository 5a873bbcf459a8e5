using System.Diagnostics;
using KvmPortal.Hypervisor.Usage;
using KvmPortal.Web.Data;
using KvmPortal.Web.Usage.Recording;
using KvmPortal.Web.Usage.Rollup;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace KvmPortal.Bench;

/// <summary>
/// Writing one interval of 1,000 VMs' samples (VM rows, host row, VM directory upsert): the recorder's writer (one
/// NpgsqlBatch of unnest inserts, one round trip) against the naive peer (one INSERT per row in one transaction).
/// Both write the same rows to the same throw-away database, interval by interval in turn.
/// </summary>
public static class UsageWriteBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var vms = BenchOptions.Int(args, "--vms", 1000);
        var intervals = BenchOptions.Int(args, "--intervals", 30);
        var server = Environment.GetEnvironmentVariable("KVMPORTAL_TEST_DB")
            ?? throw new InvalidOperationException("KVMPORTAL_TEST_DB is not set: bench/run.sh sets it after starting PostgreSQL.");
        var database = "kvmportal_bench_" + Guid.NewGuid().ToString("N")[..12];
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
        await ExecuteAsync(server, $"CREATE DATABASE \"{database}\"");
        try
        {
            await PrepareAsync(connectionString);
            Console.WriteLine($"usage-write: {vms} VMs per interval, {intervals} intervals (+2 warm-up), PostgreSQL database {database}");
            var (ours, naive) = await MeasureAsync(connectionString, vms, intervals);
            Console.WriteLine($"  recorder batch (1 round trip): median {Percentile(ours, 0.5),7:F1} ms   p95 {Percentile(ours, 0.95),7:F1} ms");
            Console.WriteLine($"  naive, INSERT per row:         median {Percentile(naive, 0.5),7:F1} ms   p95 {Percentile(naive, 0.95),7:F1} ms");
            Console.WriteLine($"usage-write per interval: recorder {Percentile(ours, 0.5):F1} ms (target <= 50 ms), naive {Percentile(naive, 0.5):F1} ms, " +
                $"naive/recorder ratio {Percentile(naive, 0.5) / Percentile(ours, 0.5):F1}x (median)");
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        }
    }

    private static async Task PrepareAsync(string connectionString)
    {
        await using (var db = new KvmPortalDbContext(new DbContextOptionsBuilder<KvmPortalDbContext>().UseNpgsql(connectionString).Options))
            await db.Database.MigrateAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // As in the running app: the rollup job keeps today's partition ready, so rows do not land in DEFAULT.
        await UsagePartitions.EnsureDaysAsync(connection, DateOnly.FromDateTime(DateTime.UtcNow), 2, default);
    }

    private static async Task<(List<double> Ours, List<double> Naive)> MeasureAsync(string connectionString, int vmCount, int intervals)
    {
        await using var session = new UsageRecordingSession(connectionString);
        await using var naiveConnection = new NpgsqlConnection(connectionString);
        await naiveConnection.OpenAsync();
        var ourHost = Guid.NewGuid();
        var naiveHost = Guid.NewGuid();
        await session.HoldAsync(ourHost, default);
        var ourDeltas = new UsageDeltas();
        var naiveDeltas = new UsageDeltas();
        var vmIds = Enumerable.Range(0, vmCount).Select(_ => Guid.NewGuid()).ToArray();
        var naiveVmIds = Enumerable.Range(0, vmCount).Select(_ => Guid.NewGuid()).ToArray();
        var start = DateTimeOffset.UtcNow;
        var ours = new List<double>();
        var naive = new List<double>();
        for (var i = 0; i < intervals + 2; i++)
        {
            var at = start.AddSeconds(10 * i);
            var ourInterval = MeasureAndRemember(ourDeltas, Sample(ourHost, at, i, vmIds));
            var naiveInterval = MeasureAndRemember(naiveDeltas, Sample(naiveHost, at, i, naiveVmIds));

            var clock = Stopwatch.StartNew();
            await session.WriteAsync(ourInterval, default);
            var o = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            await NaiveWriteAsync(naiveConnection, naiveInterval);
            var n = clock.Elapsed.TotalMilliseconds;
            if (i < 2) continue; // warm-up: connection, plans, JIT
            ours.Add(o);
            naive.Add(n);
        }
        return (ours, naive);
    }

    /// <summary>What a straightforward writer does: one INSERT per VM row and per directory row, one transaction.</summary>
    private static async Task NaiveWriteAsync(NpgsqlConnection connection, UsageInterval interval)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var vm in interval.Vms)
        {
            var s = vm.Sample;
            await ExecuteAsync(connection, """
                INSERT INTO "VmSamples" ("VmUuid", "SampledAt", "HostId", "TeamId", "IntervalSeconds", "CpuTimeNs", "Vcpus",
                    "MemoryKib", "MemoryUsedKib", "DiskReadBytes", "DiskWriteBytes", "DiskReadRequests", "DiskWriteRequests",
                    "NetRxBytes", "NetTxBytes", "DiskCapacityBytes", "DiskAllocationBytes")
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
                """, s.VmUuid, s.SampledAt, s.HostId, (object?)s.TeamId ?? DBNull.Value, s.IntervalSeconds, s.CpuTimeNs, s.Vcpus,
                s.MemoryKib, (object?)s.MemoryUsedKib ?? DBNull.Value, s.DiskReadBytes, s.DiskWriteBytes, s.DiskReadRequests,
                s.DiskWriteRequests, s.NetRxBytes, s.NetTxBytes, s.DiskCapacityBytes, s.DiskAllocationBytes);
            await ExecuteAsync(connection, """
                INSERT INTO "UsageVms" ("VmUuid", "HostId", "Name", "TeamId", "FirstSeenAt", "LastSeenAt")
                VALUES ($1, $2, $3, $4, $5, $5)
                ON CONFLICT ("VmUuid") DO UPDATE SET "HostId" = EXCLUDED."HostId", "Name" = EXCLUDED."Name",
                    "TeamId" = EXCLUDED."TeamId", "LastSeenAt" = EXCLUDED."LastSeenAt"
                """, s.VmUuid, s.HostId, vm.Name, (object?)s.TeamId ?? DBNull.Value, s.SampledAt);
        }
        if (interval.Host is { } h)
            await ExecuteAsync(connection, """
                INSERT INTO "HostSamples" ("HostId", "SampledAt", "IntervalSeconds", "Cpus", "CpuBusyNs", "CpuTotalNs", "MemoryTotalKib", "MemoryUsedKib")
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                """, h.HostId, h.SampledAt, h.IntervalSeconds, h.Cpus, h.CpuBusyNs, h.CpuTotalNs, h.MemoryTotalKib, h.MemoryUsedKib);
        await transaction.CommitAsync();
    }

    private static UsageInterval MeasureAndRemember(UsageDeltas deltas, HostUsageSample sample)
    {
        var interval = deltas.Measure(sample, _ => null);
        deltas.Remember(sample);
        return interval;
    }

    private static HostUsageSample Sample(Guid host, DateTimeOffset at, int round, Guid[] vmIds)
    {
        var r = (ulong)round;
        return new HostUsageSample(host, at, new HostResourceCounters(64, 1_000_000_000 * r, 3_000_000_000 * r, 536_870_912, 268_435_456),
            [.. vmIds.Select((id, i) => new VmUsageCounters(id, $"vm-{i:D4}", 2_500_000_000 * r + (ulong)i, 2, 4_194_304, 2_000_000,
                40_960 * r, 81_920 * r, 10 * r, 20 * r, 21_474_836_480, 5_368_709_120, 100_000 * r, 50_000 * r))]);
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, sql);
    }
}
