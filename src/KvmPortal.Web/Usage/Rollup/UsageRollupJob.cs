using KvmPortal.Web.Usage.Recording;
using Microsoft.Extensions.Options;
using Npgsql;

namespace KvmPortal.Web.Usage.Rollup;

/// <summary>
/// Every RollupInterval: aggregates finished 5-minute buckets from the raw samples and finished hours from the
/// 5-minute buckets, keeps the raw tables' day partitions ahead of time and applies retention. One instance runs it
/// at a time (an advisory lock). Each pass re-aggregates from a little before where the last one stopped, so rows
/// that arrived late are counted; the upserts make re-running harmless.
/// </summary>
public sealed class UsageRollupJob(
    UsageConnectionString connectionString, IOptions<UsageOptions> options, TimeProvider clock, ILogger<UsageRollupJob> logger)
    : BackgroundService
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private const int DaysAhead = 2;

    private DateTimeOffset? _fiveMinuteWatermark;
    private DateTimeOffset? _hourWatermark;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RollupInterval, clock);
        do
        {
            await RunOnceAsync(stoppingToken);
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    /// <summary>One pass. False when another instance holds the job's lock or the database failed (logged, not thrown).</summary>
    public Task<bool> RunOnceAsync(CancellationToken cancellationToken) => RunAtAsync(clock.GetUtcNow(), cancellationToken);

    /// <summary>One pass as if the time were <paramref name="now"/>.</summary>
    internal async Task<bool> RunAtAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString.Value);
            await connection.OpenAsync(cancellationToken);
            if (!await LockAsync(connection, "pg_try_advisory_lock", cancellationToken)) return false;
            try
            {
                await RollUpAsync(connection, now, cancellationToken);
                return true;
            }
            finally
            {
                await LockAsync(connection, "pg_advisory_unlock", CancellationToken.None);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Usage rollup failed, trying again in {Interval}: {Reason}", options.Value.RollupInterval, e.Message);
            return false;
        }
    }

    private async Task RollUpAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        await UsagePartitions.EnsureDaysAsync(connection, today, DaysAhead + 1, cancellationToken);

        var fiveMinutesEnd = Floor(now, FiveMinutes);
        var fiveMinutesFrom = Floor((_fiveMinuteWatermark ?? await WatermarkAsync(connection, "VmUsage5m", now - settings.RawRetention, cancellationToken)) - 2 * FiveMinutes, FiveMinutes);
        await ExecuteAsync(connection, UsageRollupSql.VmFiveMinutes, fiveMinutesFrom, fiveMinutesEnd, cancellationToken);
        await ExecuteAsync(connection, UsageRollupSql.HostFiveMinutes, fiveMinutesFrom, fiveMinutesEnd, cancellationToken);
        _fiveMinuteWatermark = fiveMinutesEnd;

        var hoursEnd = Floor(now, Hour);
        var hoursFrom = Floor((_hourWatermark ?? await WatermarkAsync(connection, "VmUsage1h", now - settings.FiveMinuteRetention, cancellationToken)) - Hour, Hour);
        await ExecuteAsync(connection, UsageRollupSql.VmHours, hoursFrom, hoursEnd, cancellationToken);
        await ExecuteAsync(connection, UsageRollupSql.HostHours, hoursFrom, hoursEnd, cancellationToken);
        _hourWatermark = hoursEnd;

        var dropped = await UsagePartitions.DropBeforeAsync(connection, now - settings.RawRetention, cancellationToken);
        foreach (var (table, retention) in new[]
                 {
                     ("VmUsage5m", settings.FiveMinuteRetention), ("HostUsage5m", settings.FiveMinuteRetention),
                     ("VmUsage1h", settings.HourRetention), ("HostUsage1h", settings.HourRetention),
                 })
            await ExecuteAsync(connection, UsageRollupSql.DeleteBefore(table), now - retention, null, cancellationToken);
        if (dropped > 0) logger.LogInformation("Usage retention dropped {Count} raw day partitions", dropped);
    }

    /// <summary>Where the last pass stopped as the table shows it (read once per instance), else <paramref name="otherwise"/>.</summary>
    private static async Task<DateTimeOffset> WatermarkAsync(NpgsqlConnection connection, string table, DateTimeOffset otherwise, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""SELECT max("BucketStart") FROM "{table}" """, connection);
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime latest
            ? new DateTimeOffset(DateTime.SpecifyKind(latest, DateTimeKind.Utc))
            : otherwise;
    }

    private static async Task<bool> LockAsync(NpgsqlConnection connection, string function, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {function}($1, $2)", connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = UsageLockKeys.Rollup });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = 0 });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, DateTimeOffset from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = from.ToUniversalTime() });
        if (to is { } end) command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = end.ToUniversalTime() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DateTimeOffset Floor(DateTimeOffset time, TimeSpan width)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % width.Ticks, TimeSpan.Zero);
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
