using KvmPortal.Web.Components.Account;
using KvmPortal.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KvmPortal.Web.Access;

/// <summary>
/// Keeps Identity's "Administrator" role (the start-up bootstrap reads it) in step with the user's global
/// Administrator grants, whichever their source. Losing the role also renews the security stamp, so cookies and open
/// circuits issued while the user was an administrator are revalidated (and dropped) instead of living on.
/// </summary>
public sealed class AdministratorRoleMirror(IDbContextFactory<KvmPortalDbContext> contexts, IServiceScopeFactory scopes)
{
    /// <summary>Success when the role already matched or was changed; else what Identity refused.</summary>
    public async Task<IdentityResult> SyncAsync(string userId, CancellationToken cancellationToken = default)
    {
        bool administrator;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            administrator = await db.RoleGrants.AnyAsync(
                g => g.UserId == userId && g.Role == PortalRole.Administrator && g.TeamId == null, cancellationToken);
        }

        // A fresh scope: callers live long (circuits), and a long-lived user manager holds stale users.
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KvmPortalUser>>();
        if (await users.FindByIdAsync(userId) is not { } user)
            return IdentityResult.Failed(new IdentityError { Code = "UserNotFound", Description = $"No user {userId}." });
        if (await users.IsInRoleAsync(user, AdministratorSeeder.AdministratorRole) == administrator)
            return IdentityResult.Success;
        if (administrator)
            return await users.AddToRoleAsync(user, AdministratorSeeder.AdministratorRole);
        var removed = await users.RemoveFromRoleAsync(user, AdministratorSeeder.AdministratorRole);
        return removed.Succeeded ? await users.UpdateSecurityStampAsync(user) : removed;
    }
}
