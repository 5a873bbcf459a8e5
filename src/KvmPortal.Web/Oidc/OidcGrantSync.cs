using System.Text.Json;
using KvmPortal.Web.Access;
using KvmPortal.Web.Audit;
using KvmPortal.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Oidc;

/// <summary>
/// Replaces the user's grants that came from the identity provider with those their groups map to now; grants given
/// by hand stay. A change is audited (as the user signing in, who caused it), and so is a mapping to a missing team.
/// </summary>
public sealed class OidcGrantSync(
    IDbContextFactory<KvmPortalDbContext> contexts,
    IOptions<OidcOptions> options,
    AdministratorRoleMirror administratorRole,
    IAuditLog audit,
    TimeProvider clock,
    ILogger<OidcGrantSync> logger)
{
    public async Task SyncAsync(Actor user, IEnumerable<string> groups, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var teamIds = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Name, t => t.Id, StringComparer.Ordinal, cancellationToken);
        var mapped = OidcGroupMapper.Map(groups, options.Value.GroupMappings, teamIds);

        var current = await db.RoleGrants.Where(g => g.UserId == user.UserId && g.Source == GrantSource.IdentityProvider)
            .ToListAsync(cancellationToken);
        var removed = current.Where(record => !mapped.Grants.Contains(GrantOf(record))).ToList();
        var kept = current.Except(removed).Select(GrantOf).ToHashSet();
        var added = mapped.Grants.Where(grant => !kept.Contains(grant)).ToList();
        db.RoleGrants.RemoveRange(removed);
        db.RoleGrants.AddRange(added.Select(grant => new RoleGrantRecord
        {
            Id = Guid.NewGuid(), UserId = user.UserId, Role = grant.Role, TeamId = grant.TeamId,
            ConsoleViewOnly = grant.ConsoleViewOnly, MayReboot = grant.MayReboot, Source = GrantSource.IdentityProvider,
        }));
        await db.SaveChangesAsync(cancellationToken);

        if (removed.Select(GrantOf).Concat(added).Any(g => g is { Role: PortalRole.Administrator, IsGlobal: true }))
        {
            var role = await administratorRole.SyncAsync(user.UserId, cancellationToken);
            if (!role.Succeeded)
                logger.LogWarning("The Administrator role of {UserName} could not follow the grants: {Errors}", user.UserName,
                    string.Join(" ", role.Errors.Select(e => e.Description)));
        }
        if (mapped.UnknownTeams.Count > 0)
            logger.LogWarning("Group mappings name teams that do not exist: {Teams}", string.Join(", ", mapped.UnknownTeams));
        if (removed.Count > 0 || added.Count > 0 || mapped.UnknownTeams.Count > 0)
        {
            var parameters = JsonSerializer.Serialize(new { added, removed = removed.Select(GrantOf), mapped.UnknownTeams });
            await audit.RecordAsync(new AuditEntry(clock.GetUtcNow(), user, AuditActions.IdentityProviderGrantSync,
                new AuditTarget(Other: user.UserName), parameters, true, null), cancellationToken);
        }
    }

    private static RoleGrant GrantOf(RoleGrantRecord record) =>
        new(record.Role, record.TeamId, record.ConsoleViewOnly, record.MayReboot);
}
