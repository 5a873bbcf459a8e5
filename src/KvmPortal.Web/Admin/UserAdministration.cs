using KvmPortal.Web.Access;
using KvmPortal.Web.Audit;
using KvmPortal.Web.Components.Account;
using KvmPortal.Web.Data;
using KvmPortal.Web.Resources;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace KvmPortal.Web.Admin;

public sealed record GrantSummary(Guid Id, PortalRole Role, Guid? TeamId, string? TeamName, bool ConsoleViewOnly, bool MayReboot,
    GrantSource Source = GrantSource.Manual);

public sealed record UserSummary(string Id, string UserName, bool LockedOut, IReadOnlyList<GrantSummary> Grants);

/// <summary>A role to grant: globally (no team) or for one team; the flags are the help desk's.</summary>
public sealed record GrantRequest(PortalRole Role, Guid? TeamId, bool ConsoleViewOnly = false, bool MayReboot = false);

/// <summary>
/// Local users and their grants: administrators only, every change audited. The last global Administrator cannot be
/// removed, locked out or deleted, so the portal always keeps someone who can administer it. Identity's user manager
/// is taken from a fresh scope per change: a circuit lives long, and its own context would hold stale users.
/// </summary>
public sealed class UserAdministration(
    IDbContextFactory<KvmPortalDbContext> contexts,
    IServiceScopeFactory scopes,
    OperationGate gate,
    IAccessViewSource views,
    AdministratorRoleMirror administratorRole,
    IStringLocalizer<Strings> text)
{
    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.ManageUsers, AccessTarget.Global, cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var teams = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        var grants = (await db.RoleGrants.AsNoTracking().ToListAsync(cancellationToken)).ToLookup(g => g.UserId);
        var now = DateTimeOffset.UtcNow;
        return (await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken))
            .Select(u => new UserSummary(u.Id, u.UserName ?? u.Id, u.LockoutEnd > now,
                grants[u.Id].Select(g => new GrantSummary(g.Id, g.Role, g.TeamId,
                    g.TeamId is { } team ? teams.GetValueOrDefault(team) : null, g.ConsoleViewOnly, g.MayReboot, g.Source)).ToList()))
            .ToList();
    }

    public Task<AdminResult> CreateAsync(string? userName, string? password, CancellationToken cancellationToken = default)
    {
        userName = userName?.Trim() ?? "";
        return RunAsync("user.create", userName, new { userName }, () => WithUsersAsync(async users =>
        {
            if (userName.Length == 0)
                return AdminResult.Fail(text["UserNameRequired"]);
            var result = await users.CreateAsync(new KvmPortalUser { UserName = userName }, password ?? "");
            return Outcome(result);
        }), cancellationToken);
    }

    public Task<AdminResult> SetLockedOutAsync(string userId, bool lockedOut, CancellationToken cancellationToken = default) =>
        RunAsync(lockedOut ? "user.lock" : "user.unlock", userId, new { userId }, () => WithUsersAsync(async users =>
        {
            if (await users.FindByIdAsync(userId) is not { } user)
                return AdminResult.Fail(text["UserNotFound"]);
            if (lockedOut && await IsLastAdministratorAsync(userId, cancellationToken))
                return AdminResult.Fail(text["UserLastAdministrator"]);
            var result = await users.SetLockoutEndDateAsync(user, lockedOut ? DateTimeOffset.MaxValue : null);
            if (result.Succeeded && lockedOut)
                await users.UpdateSecurityStampAsync(user); // open circuits drop out at their next revalidation
            return Outcome(result);
        }), cancellationToken);

    public Task<AdminResult> DeleteAsync(string userId, CancellationToken cancellationToken = default) =>
        RunAsync("user.delete", userId, new { userId }, () => WithUsersAsync(async users =>
        {
            if (await users.FindByIdAsync(userId) is not { } user)
                return AdminResult.Fail(text["UserNotFound"]);
            if (await IsLastAdministratorAsync(userId, cancellationToken))
                return AdminResult.Fail(text["UserLastAdministrator"]);
            return Outcome(await users.DeleteAsync(user)); // the grants go with the user (cascade)
        }), cancellationToken);

    public Task<AdminResult> AddGrantAsync(string userId, GrantRequest grant, CancellationToken cancellationToken = default) =>
        RunAsync("user.grant.add", userId, new { userId, grant }, async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var helpDesk = grant.Role == PortalRole.HelpDesk;
            db.RoleGrants.Add(new RoleGrantRecord
            {
                Id = Guid.NewGuid(), UserId = userId, Role = grant.Role, TeamId = grant.TeamId,
                ConsoleViewOnly = helpDesk && grant.ConsoleViewOnly, MayReboot = helpDesk && grant.MayReboot,
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return IsGlobalAdministrator(grant.Role, grant.TeamId)
                    ? Outcome(await administratorRole.SyncAsync(userId, cancellationToken))
                    : AdminResult.Ok;
            }
            catch (DbUpdateException e) when (TeamAdministration.IsUniqueViolation(e))
            {
                return AdminResult.Fail(text["GrantExists"]);
            }
        }, cancellationToken);

    public Task<AdminResult> RemoveGrantAsync(string userId, Guid grantId, CancellationToken cancellationToken = default) =>
        RunAsync("user.grant.remove", userId, new { userId, grantId }, async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var grant = await db.RoleGrants.SingleOrDefaultAsync(g => g.Id == grantId && g.UserId == userId, cancellationToken);
            if (grant is null)
                return AdminResult.Fail(text["GrantNotFound"]);
            if (IsGlobalAdministrator(grant.Role, grant.TeamId) && await CountGlobalAdministratorsAsync(db, cancellationToken) <= 1)
                return AdminResult.Fail(text["UserLastAdministrator"]);
            db.RoleGrants.Remove(grant);
            await db.SaveChangesAsync(cancellationToken);
            return IsGlobalAdministrator(grant.Role, grant.TeamId)
                ? Outcome(await administratorRole.SyncAsync(userId, cancellationToken))
                : AdminResult.Ok;
        }, cancellationToken);

    private async Task<AdminResult> WithUsersAsync(Func<UserManager<KvmPortalUser>, Task<AdminResult>> change)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await change(scope.ServiceProvider.GetRequiredService<UserManager<KvmPortalUser>>());
    }

    private static AdminResult Outcome(IdentityResult result) =>
        result.Succeeded ? AdminResult.Ok : AdminResult.Fail(string.Join(" ", result.Errors.Select(e => e.Description)));

    private static bool IsGlobalAdministrator(PortalRole role, Guid? teamId) => role == PortalRole.Administrator && teamId is null;

    private static Task<int> CountGlobalAdministratorsAsync(KvmPortalDbContext db, CancellationToken cancellationToken) =>
        db.RoleGrants.CountAsync(g => g.Role == PortalRole.Administrator && g.TeamId == null, cancellationToken);

    private async Task<bool> IsLastAdministratorAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.RoleGrants.AnyAsync(g => g.UserId == userId && g.Role == PortalRole.Administrator && g.TeamId == null, cancellationToken)
            && await CountGlobalAdministratorsAsync(db, cancellationToken) <= 1;
    }

    private async Task<AdminResult> RunAsync(string action, string user, object parameters, Func<Task<AdminResult>> change, CancellationToken cancellationToken)
    {
        var result = await gate.RunAsync(
            new GatedOperation(PortalAction.ManageUsers, action, AccessTarget.Global, new AuditTarget(Other: user), parameters),
            change, cancellationToken, r => r.Error);
        views.Invalidate(); // the administrator may have changed their own grants
        return result;
    }
}
