using KvmPortal.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace KvmPortal.Web.Tests.Integration.Usage;

/// <summary>A fresh, migrated PostgreSQL database of its own (dropped at the end), without a web host.</summary>
public sealed class UsageDatabase : IAsyncLifetime
{
    private const string ServerVariable = "KVMPORTAL_TEST_DB";
    private readonly string _server;
    private readonly string _name = "kvmportal_usage_" + Guid.NewGuid().ToString("N");

    public UsageDatabase()
    {
        _server = Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{ServerVariable} is not set. These tests need a real PostgreSQL server.");
        ConnectionString = new NpgsqlConnectionStringBuilder(_server) { Database = _name }.ConnectionString;
        Options = new DbContextOptionsBuilder<KvmPortalDbContext>().UseNpgsql(ConnectionString).Options;
    }

    public string ConnectionString { get; }

    public DbContextOptions<KvmPortalDbContext> Options { get; }

    public IDbContextFactory<KvmPortalDbContext> Contexts => new PooledDbContextFactory<KvmPortalDbContext>(Options);

    public async Task InitializeAsync()
    {
        await ExecuteOnServerAsync($"CREATE DATABASE \"{_name}\"");
        await using var db = new KvmPortalDbContext(Options);
        await db.Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] values)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
