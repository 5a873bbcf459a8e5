using Npgsql;

namespace KvmPortal.Web.Usage.Recording;

/// <summary>
/// The recorder's own long-lived PostgreSQL session: it holds a session advisory lock per host this instance records,
/// and the writes go over the same session. If the session dies, its locks die with it and so does the next write,
/// so nothing is ever written for a host whose lock is not held; the next call reconnects and takes the locks anew.
/// Used by one writer loop at a time. The session's application name carries the instance's name, so pg_locks joined
/// with pg_stat_activity shows which instance records which host.
/// </summary>
public sealed class UsageRecordingSession(string connectionString, string? instanceName = null) : IAsyncDisposable
{
    public const string ApplicationNamePrefix = "KvmPortal usage recorder";

    // Not pooled: closing must end the session (and release its locks) rather than park it in a pool.
    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(connectionString)
    {
        Pooling = false,
        KeepAlive = 15,
        ApplicationName = instanceName is null ? ApplicationNamePrefix : $"{ApplicationNamePrefix} {instanceName}",
    }.ConnectionString;

    private readonly HashSet<Guid> _held = [];
    private NpgsqlConnection? _connection;

    /// <summary>Takes the host's lock when free. <see cref="HostLock.Acquired"/> means it was not held just before.</summary>
    public async Task<HostLock> HoldAsync(Guid hostId, CancellationToken cancellationToken)
    {
        if (_connection is not null && _held.Contains(hostId)) return HostLock.Held;
        var connection = await ConnectAsync(cancellationToken);
        var acquired = await GuardAsync(async () =>
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1, $2)", connection);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = UsageLockKeys.HostRecording });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = UsageLockKeys.Of(hostId) });
            return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        });
        if (!acquired) return HostLock.NotHeld;
        _held.Add(hostId);
        return HostLock.Acquired;
    }

    /// <summary>Writes one interval in one round trip; the host's lock must be held (see <see cref="HoldAsync"/>).</summary>
    public async Task WriteAsync(UsageInterval interval, CancellationToken cancellationToken)
    {
        if (_connection is not { } connection || !_held.Contains(interval.HostId))
            throw new InvalidOperationException($"The usage recording lock of host {interval.HostId} is not held.");
        await using var batch = UsageBatch.Create(interval);
        if (batch.BatchCommands.Count == 0) return;
        batch.Connection = connection;
        await GuardAsync(async () => await batch.ExecuteNonQueryAsync(cancellationToken));
    }

    /// <summary>
    /// Whether anything was recorded for the host after the given time: after re-taking a host's lock, that means
    /// another instance recorded it meanwhile (or our own last write landed although its answer was lost).
    /// </summary>
    public async Task<bool> RecordedSinceAsync(Guid hostId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(cancellationToken);
        return await GuardAsync(async () =>
        {
            await using var command = new NpgsqlCommand("""
                SELECT EXISTS (SELECT 1 FROM "HostSamples" WHERE "HostId" = $1 AND "SampledAt" > $2)
                    OR EXISTS (SELECT 1 FROM "VmSamples" WHERE "HostId" = $1 AND "SampledAt" > $2)
                """, connection);
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = hostId });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = since.ToUniversalTime() });
            return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        });
    }

    /// <summary>Ends the session, releasing every lock at once (the server would notice the closed socket a moment later).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection && _held.Count > 0)
        {
            try
            {
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", connection);
                await unlock.ExecuteNonQueryAsync();
            }
            catch (NpgsqlException)
            {
                // The session is gone already, and its locks with it.
            }
        }
        await DropAsync();
    }

    private async Task<NpgsqlConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null) return _connection;
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        _connection = connection;
        return connection;
    }

    /// <summary>Runs a command; when it fails the session is dropped, as its locks may be gone with it.</summary>
    private async Task<T> GuardAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch
        {
            await DropAsync();
            throw;
        }
    }

    private async Task DropAsync()
    {
        _held.Clear();
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync();
        }
    }
}

public enum HostLock
{
    NotHeld,
    Held,
    /// <summary>Held now but not just before: whatever this instance remembered of the host is stale.</summary>
    Acquired,
}
