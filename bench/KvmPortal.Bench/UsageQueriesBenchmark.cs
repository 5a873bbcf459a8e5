using System.Diagnostics;
using KvmPortal.Web.Data;
using KvmPortal.Web.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using Npgsql;

namespace KvmPortal.Bench;

/// <summary>
/// The usage queries (issue 8) on a throw-away database filled with 1,000 VMs x 30 days of 5-minute and hourly
/// buckets (and the last minutes as raw samples, as the rollup job leaves them): a one-VM month chart and a month's
/// report of a 200-VM team through <see cref="UsageHistory"/>, side by side with the same figures summed naively
/// from the 5-minute table (what the hourly rollup saves). Medians of several runs after one warm-up each.
/// </summary>
public static class UsageQueriesBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var vms = BenchOptions.Int(args, "--vms", 1000);
        var days = BenchOptions.Int(args, "--days", 30);
        var teamVms = BenchOptions.Int(args, "--team-vms", 200);
        var runs = BenchOptions.Int(args, "--runs", 7);
        var keep = args.Contains("--keep"); // leave the database for EXPLAIN
        var server = Environment.GetEnvironmentVariable("KVMPORTAL_TEST_DB")
            ?? throw new InvalidOperationException("KVMPORTAL_TEST_DB is not set: bench/run.sh sets it after starting PostgreSQL.");
        Console.WriteLine($"command: bench/run.sh usage-queries --vms {vms} --days {days} --team-vms {teamVms} --runs {runs}");

        var database = "kvmportal_bench_usage_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(server, $"CREATE DATABASE \"{database}\"");
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
            var contexts = new PooledDbContextFactory<KvmPortalDbContext>(
                new DbContextOptionsBuilder<KvmPortalDbContext>().UseNpgsql(connectionString).Options);
            await using (var db = await contexts.CreateDbContextAsync())
                await db.Database.MigrateAsync();

            var now = DateTimeOffset.UtcNow;
            var fill = Stopwatch.StartNew();
            var (vm, team) = await UsageBenchData.FillAsync(connectionString, vms, days, teamVms, now);
            Console.WriteLine($"filled {vms} VMs x {days} days (5-minute and hourly buckets, raw tail) in {fill.Elapsed.TotalSeconds:F0} s: {await UsageBenchData.CountsAsync(connectionString)}");

            var history = new UsageHistory(contexts, Options.Create(new UsageOptions()), TimeProvider.System);
            var from = now.AddDays(-days);
            var chart = await MedianAsync(runs, async () => (await history.VmSeriesAsync(vm, UsagePeriod.Month, CancellationToken.None)).Points.Count);
            var chartPeer = await MedianAsync(runs, () => NaiveChartAsync(connectionString, vm, from));
            var report = await MedianAsync(runs, async () => (await history.ReportAsync(new UsageReportQuery(from, now, [team]), CancellationToken.None)).Vms.Count);
            var reportPeer = await MedianAsync(runs, () => NaiveReportAsync(connectionString, team, from, now));

            Print($"one-VM month chart ({chart.Rows} hourly points)", chart, chartPeer, targetMs: 100);
            Print($"team report, {report.Rows} VMs over {days} days", report, reportPeer, targetMs: 1000);
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            if (keep)
                Console.WriteLine($"kept database {database}");
            else
                await ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        }
    }

    private static void Print(string what, (double Ms, int Rows) ours, (double Ms, int Rows) peer, int targetMs) =>
        Console.WriteLine($"{what}: KvmPortal {ours.Ms:F1} ms (target <= {targetMs} ms: {(ours.Ms <= targetMs ? "met" : "NOT met")}), " +
            $"naive from 5-minute buckets {peer.Ms:F1} ms ({peer.Rows} rows), ratio {ours.Ms / peer.Ms:F2}x");

    /// <summary>The median wall time of <paramref name="runs"/> runs after a warm-up, and the rows the last run returned.</summary>
    private static async Task<(double Ms, int Rows)> MedianAsync(int runs, Func<Task<int>> run)
    {
        var rows = await run();
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            rows = await run();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return (times[times.Count / 2], rows);
    }

    /// <summary>The peer of the chart: the month's 5-minute buckets of the VM summed to hours.</summary>
    private static Task<int> NaiveChartAsync(string connectionString, Guid vm, DateTimeOffset from) => CountRowsAsync(connectionString, """
        SELECT date_trunc('hour', "BucketStart") AS hour, sum("CpuTimeNs")::float8 / nullif(sum("VcpuSeconds") * 1e9, 0) * 100,
               max("CpuPercentPeak"), sum("MemoryKibSeconds") / nullif(sum("Seconds"), 0),
               sum("MemoryUsedKibSeconds") / nullif(sum("MemoryUsedSeconds"), 0),
               sum("DiskReadBytes") / nullif(sum("Seconds"), 0), sum("DiskWriteBytes") / nullif(sum("Seconds"), 0),
               sum("NetRxBytes") / nullif(sum("Seconds"), 0), sum("NetTxBytes") / nullif(sum("Seconds"), 0)
        FROM "VmUsage5m" WHERE "VmUuid" = @vm AND "BucketStart" >= @from
        GROUP BY 1 ORDER BY 1
        """, ("vm", vm), ("from", from.UtcDateTime));

    /// <summary>The peer of the report: the team's month of 5-minute buckets summed per VM.</summary>
    private static Task<int> NaiveReportAsync(string connectionString, Guid team, DateTimeOffset from, DateTimeOffset to) => CountRowsAsync(connectionString, """
        SELECT "VmUuid", "TeamId", sum("CpuTimeNs")::float8 / nullif(sum("VcpuSeconds") * 1e9, 0) * 100, max("CpuPercentPeak"),
               sum("VcpuSeconds") / 3600, sum("MemoryKibSeconds") / 1048576 / 3600, max("MemoryKibPeak"), max("MemoryUsedKibPeak"),
               (array_agg("DiskCapacityBytes" ORDER BY "BucketStart" DESC))[1], (array_agg("DiskAllocationBytes" ORDER BY "BucketStart" DESC))[1]
        FROM "VmUsage5m" WHERE "TeamId" = @team AND "BucketStart" >= @from AND "BucketStart" < @to
        GROUP BY "VmUuid", "TeamId"
        """, ("team", team), ("from", from.UtcDateTime), ("to", to.UtcDateTime));

    private static async Task<int> CountRowsAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        var values = new object[reader.FieldCount];
        while (await reader.ReadAsync())
        {
            reader.GetValues(values);
            rows++;
        }
        return rows;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
