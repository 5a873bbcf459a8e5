using KvmPortal.Web.Components.Account;
using KvmPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace KvmPortal.Web.Access;

/// <summary>
/// Keeps an install from locking itself out: at start, when no user holds a global Administrator grant, every member
/// of the Identity "Administrator" role (the first administrator made by <see cref="AdministratorSeeder"/>, in new
/// and in existing databases) gets one. Users without grants may do nothing until an administrator grants a role.
/// Runs after the migration and the seeder (hosted services start in registration order).
/// </summary>
internal sealed class AdministratorGrantBootstrap(
    IDbContextFactory<KvmPortalDbContext> contexts,
    ILogger<AdministratorGrantBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.RoleGrants.AnyAsync(g => g.Role == PortalRole.Administrator && g.TeamId == null, cancellationToken))
            return;

        var administrators = await (
            from userRole in db.UserRoles
            join role in db.Roles on userRole.RoleId equals role.Id
            where role.Name == AdministratorSeeder.AdministratorRole
            select userRole.UserId).ToListAsync(cancellationToken);
        foreach (var userId in administrators)
            db.RoleGrants.Add(new RoleGrantRecord { Id = Guid.NewGuid(), UserId = userId, Role = PortalRole.Administrator });
        await db.SaveChangesAsync(cancellationToken);
        if (administrators.Count > 0)
            logger.LogInformation("Granted the global Administrator role to {Count} member(s) of the Administrator role", administrators.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
