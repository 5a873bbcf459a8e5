using Npgsql;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>Users and role grants written straight into the portal's database, for tests about what other users see and may do.</summary>
internal static class PortalUsers
{
    /// <summary>
    /// A new user with the administrator's password and none of its grants: a copy of the administrator's row, so the
    /// test needs no knowledge of the user table's columns. Returns the user's id.
    /// </summary>
    public static async Task<string> CreateAsync(RunningPortal portal, string userName)
    {
        var id = Guid.NewGuid().ToString();
        await using var connection = new NpgsqlConnection(portal.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            CREATE TEMP TABLE fresh_user AS SELECT * FROM "AspNetUsers" WHERE "NormalizedUserName" = 'ADMIN';
            UPDATE fresh_user SET "Id" = @id, "UserName" = @name, "NormalizedUserName" = upper(@name),
                "SecurityStamp" = @stamp, "ConcurrencyStamp" = @concurrency;
            INSERT INTO "AspNetUsers" SELECT * FROM fresh_user;
            """, connection);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("name", userName);
        command.Parameters.AddWithValue("stamp", Guid.NewGuid().ToString("N").ToUpperInvariant());
        command.Parameters.AddWithValue("concurrency", Guid.NewGuid().ToString());
        Assert.True(await command.ExecuteNonQueryAsync() > 0, "no administrator row to copy");
        return id;
    }

    /// <summary>Gives the user <paramref name="role"/> for every VM (a global grant), replacing the grants it had.</summary>
    public static async Task GrantGloballyAsync(RunningPortal portal, string userId, string role, bool consoleViewOnly = false)
    {
        await using var connection = new NpgsqlConnection(portal.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            DELETE FROM "RoleGrants" WHERE "UserId" = @user;
            INSERT INTO "RoleGrants" ("Id", "UserId", "Role", "TeamId", "ConsoleViewOnly", "MayReboot", "Source")
                VALUES (@id, @user, @role, NULL, @viewOnly, FALSE, 'Manual');
            """, connection);
        command.Parameters.AddWithValue("id", Guid.NewGuid());
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("role", role);
        command.Parameters.AddWithValue("viewOnly", consoleViewOnly);
        await command.ExecuteNonQueryAsync();
    }
}
