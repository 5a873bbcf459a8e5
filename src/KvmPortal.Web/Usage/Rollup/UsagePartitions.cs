using System.Globalization;
using KvmPortal.Web.Data.Usage;
using Npgsql;

namespace KvmPortal.Web.Usage.Rollup;

/// <summary>
/// The raw tables' day partitions (see <see cref="UsagePartitioning"/>): creates upcoming days and drops expired ones.
/// Days are UTC days, named "{table}_yyyyMMdd".
/// </summary>
public static class UsagePartitions
{
    public static string NameOf(string table, DateOnly day) => $"{table}_{day.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Creates the partitions of <paramref name="count"/> days from <paramref name="first"/> that do not exist yet.
    /// Rows of such a day already in the DEFAULT partition (written before its partition existed) would make the
    /// CREATE fail, so they are moved into the new partition in the same transaction, with the table locked meanwhile.
    /// </summary>
    public static async Task<int> EnsureDaysAsync(NpgsqlConnection connection, DateOnly first, int count, CancellationToken cancellationToken)
    {
        var created = 0;
        foreach (var table in UsagePartitioning.RawTables)
        {
            var existing = await ListAsync(connection, table, cancellationToken);
            for (var day = first; day < first.AddDays(count); day = day.AddDays(1))
            {
                if (existing.ContainsKey(day)) continue;
                await CreateAsync(connection, table, day, cancellationToken);
                created++;
            }
        }
        return created;
    }

    /// <summary>Drops every day partition that ends at or before <paramref name="cutoff"/>, and older DEFAULT rows.</summary>
    public static async Task<int> DropBeforeAsync(NpgsqlConnection connection, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var dropped = 0;
        foreach (var table in UsagePartitioning.RawTables)
        {
            foreach (var (day, name) in await ListAsync(connection, table, cancellationToken))
            {
                if (Start(day.AddDays(1)) > cutoff) continue;
                await ExecuteAsync(connection, $"DROP TABLE IF EXISTS \"{name}\"", cancellationToken);
                dropped++;
            }
            await ExecuteAsync(connection, $"DELETE FROM \"{table}_default\" WHERE \"SampledAt\" < $1", cancellationToken, cutoff.ToUniversalTime());
        }
        return dropped;
    }

    /// <summary>The table's day partitions by day.</summary>
    public static async Task<Dictionary<DateOnly, string>> ListAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT c.relname FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid
            JOIN pg_class p ON p.oid = i.inhparent
            WHERE p.relname = $1 AND p.relnamespace = to_regnamespace(current_schema())::oid
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        var days = new Dictionary<DateOnly, string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            if (name.StartsWith(table + "_", StringComparison.Ordinal)
                && DateOnly.TryParseExact(name[(table.Length + 1)..], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                days[day] = name;
        }
        return days;
    }

    private static async Task CreateAsync(NpgsqlConnection connection, string table, DateOnly day, CancellationToken cancellationToken)
    {
        var name = NameOf(table, day);
        var from = Start(day).ToString("yyyy-MM-dd HH:mm:ss+00", CultureInfo.InvariantCulture);
        var to = Start(day.AddDays(1)).ToString("yyyy-MM-dd HH:mm:ss+00", CultureInfo.InvariantCulture);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Locking the parent locks every partition, before the writers' row locks on the parent can interleave.
        await ExecuteAsync(connection, $"""
            LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE;
            CREATE TEMP TABLE usage_moving ON COMMIT DROP AS
                WITH moved AS (DELETE FROM "{table}_default" WHERE "SampledAt" >= '{from}' AND "SampledAt" < '{to}' RETURNING *)
                SELECT * FROM moved;
            CREATE TABLE IF NOT EXISTS "{name}" PARTITION OF "{table}" FOR VALUES FROM ('{from}') TO ('{to}');
            INSERT INTO "{table}" SELECT * FROM usage_moving;
            """, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static DateTimeOffset Start(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
