using KvmPortal.Web.Access;
using KvmPortal.Web.Audit;
using KvmPortal.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace KvmPortal.Web.Tests.Integration;

/// <summary>The PostgreSQL audit log: what goes in comes out, and the database itself refuses to change it.</summary>
public sealed class AuditLogStoreTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    private IAuditLog Log => app.Services.GetRequiredService<IAuditLog>();

    [Fact]
    public async Task An_entry_round_trips_with_every_field()
    {
        var action = "test.roundtrip." + Guid.NewGuid().ToString("N")[..8];
        var entry = new AuditEntry(
            new DateTimeOffset(2026, 11, 23, 4, 5, 6, TimeSpan.FromHours(2)),
            new Actor("user-id-1", "alice", "192.0.2.7"),
            action,
            new AuditTarget(Guid.NewGuid(), "host-a", Guid.NewGuid(), "vm-a", "default", "disk.qcow2", "lan", "other"),
            """{"memoryMiB": 2048, "note": "a, \"b\""}""",
            false,
            "Domain not found",
            "<domain><memory>1024</memory></domain>",
            "<domain><memory>2048</memory></domain>");

        await Log.RecordAsync(entry);

        var stored = await SingleAsync(action);
        Assert.True(stored.Id > 0);
        Assert.Equal(entry.Time, stored.Time);
        Assert.Equal("user-id-1", stored.ActorId);
        Assert.Equal("alice", stored.ActorName);
        Assert.Equal("192.0.2.7", stored.SourceIp);
        Assert.Equal(entry.Target.HostId, stored.HostId);
        Assert.Equal("host-a", stored.HostName);
        Assert.Equal(entry.Target.VmUuid, stored.VmUuid);
        Assert.Equal("vm-a", stored.VmName);
        Assert.Equal("default", stored.Pool);
        Assert.Equal("disk.qcow2", stored.Volume);
        Assert.Equal("lan", stored.Network);
        Assert.Equal("other", stored.OtherTarget);
        using var parameters = System.Text.Json.JsonDocument.Parse(stored.Parameters!);
        Assert.Equal(2048, parameters.RootElement.GetProperty("memoryMiB").GetInt32());
        Assert.Equal("a, \"b\"", parameters.RootElement.GetProperty("note").GetString());
        Assert.False(stored.Succeeded);
        Assert.Equal("Domain not found", stored.Error);
        Assert.Equal(entry.XmlBefore, stored.XmlBefore);
        Assert.Equal(entry.XmlAfter, stored.XmlAfter);
    }

    [Fact]
    public async Task An_entry_with_only_the_required_fields_round_trips_with_nulls()
    {
        var action = "test.minimal." + Guid.NewGuid().ToString("N")[..8];

        await Log.RecordAsync(new AuditEntry(DateTimeOffset.UtcNow, new Actor("u", "bob", null), action, new AuditTarget(), null, true, null));

        var stored = await SingleAsync(action);
        Assert.True(stored.Succeeded);
        Assert.Null(stored.SourceIp);
        Assert.Null(stored.VmUuid);
        Assert.Null(stored.Parameters);
        Assert.Null(stored.XmlBefore);
    }

    [Theory]
    [InlineData("UPDATE \"AuditLog\" SET \"Succeeded\" = true")]
    [InlineData("DELETE FROM \"AuditLog\"")]
    [InlineData("TRUNCATE \"AuditLog\"")]
    public async Task The_database_refuses_to_change_or_remove_rows(string sql)
    {
        var action = "test.guard." + Guid.NewGuid().ToString("N")[..8];
        await Log.RecordAsync(new AuditEntry(DateTimeOffset.UtcNow, new Actor("u", "carol", null), action, new AuditTarget(), null, false, "x"));

        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var refusal = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refusal.SqlState);
        Assert.Contains("append-only", refusal.MessageText);
        var stillThere = await SingleAsync(action);
        Assert.False(stillThere.Succeeded);
    }

    [Fact]
    public async Task A_failed_write_throws_instead_of_passing_silently()
    {
        var tooLongAction = new string('a', 200);

        var failure = await Assert.ThrowsAsync<AuditWriteException>(() =>
            Log.RecordAsync(new AuditEntry(DateTimeOffset.UtcNow, new Actor("u", "dave", null), tooLongAction, new AuditTarget(), null, true, null)));

        Assert.NotNull(failure.InnerException);
    }

    [Fact]
    public async Task Malformed_parameters_json_is_refused_by_the_jsonb_column()
    {
        await Assert.ThrowsAsync<AuditWriteException>(() =>
            Log.RecordAsync(new AuditEntry(DateTimeOffset.UtcNow, new Actor("u", "erin", null), "test.badjson", new AuditTarget(), "{not json", true, null)));
    }

    private async Task<AuditRecord> SingleAsync(string action)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<KvmPortalDbContext>>().CreateDbContextAsync();
        return await db.AuditLog.AsNoTracking().SingleAsync(a => a.Action == action);
    }
}
