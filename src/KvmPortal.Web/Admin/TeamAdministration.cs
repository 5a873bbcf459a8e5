using KvmPortal.Web.Access;
using KvmPortal.Web.Audit;
using KvmPortal.Web.Data;
using KvmPortal.Web.Resources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Npgsql;

namespace KvmPortal.Web.Admin;

public sealed record TeamSummary(Guid Id, string Name, int Members, int Vms);

/// <summary>Creating, renaming and deleting teams: administrators only, audited. Deleting a team drops its grants and VM ownership.</summary>
public sealed class TeamAdministration(
    IDbContextFactory<KvmPortalDbContext> contexts,
    OperationGate gate,
    TimeProvider clock,
    IStringLocalizer<Strings> text)
{
    public async Task<IReadOnlyList<TeamSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.ManageUsers, AccessTarget.Global, cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Teams.AsNoTracking().OrderBy(t => t.Name)
            .Select(t => new TeamSummary(t.Id, t.Name,
                db.RoleGrants.Where(g => g.TeamId == t.Id).Select(g => g.UserId).Distinct().Count(),
                db.VmOwnership.Count(o => o.TeamId == t.Id)))
            .ToListAsync(cancellationToken);
    }

    public Task<AdminResult> CreateAsync(string? name, CancellationToken cancellationToken = default)
    {
        name = name?.Trim() ?? "";
        return RunAsync("team.create", name, new { name }, async db =>
        {
            db.Teams.Add(new TeamRecord { Id = Guid.NewGuid(), Name = name, CreatedAt = clock.GetUtcNow() });
            await db.SaveChangesAsync(cancellationToken);
            return AdminResult.Ok;
        }, cancellationToken);
    }

    public Task<AdminResult> RenameAsync(Guid id, string? name, CancellationToken cancellationToken = default)
    {
        name = name?.Trim() ?? "";
        return RunAsync("team.rename", name, new { id, name }, async db =>
        {
            var renamed = await db.Teams.Where(t => t.Id == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.Name, name), cancellationToken);
            return renamed == 0 ? AdminResult.Fail(text["TeamNotFound"]) : AdminResult.Ok;
        }, cancellationToken);
    }

    public Task<AdminResult> DeleteAsync(Guid id, CancellationToken cancellationToken = default) =>
        RunAsync("team.delete", null, new { id }, async db =>
        {
            var deleted = await db.Teams.Where(t => t.Id == id).ExecuteDeleteAsync(cancellationToken);
            return deleted == 0 ? AdminResult.Fail(text["TeamNotFound"]) : AdminResult.Ok;
        }, cancellationToken);

    public string? ValidateName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? text["TeamNameRequired"].Value
        : name.Trim().Length > TeamRecord.NameMaxLength ? text["TeamNameTooLong", TeamRecord.NameMaxLength].Value
        : null;

    /// <param name="name">The (new) name to validate; null when the change has none.</param>
    private Task<AdminResult> RunAsync(string action, string? name, object parameters,
        Func<KvmPortalDbContext, Task<AdminResult>> change, CancellationToken cancellationToken) =>
        gate.RunAsync(
            new GatedOperation(PortalAction.ManageUsers, action, AccessTarget.Global, new AuditTarget(Other: name), parameters),
            async () =>
            {
                if (name is not null && ValidateName(name) is { } problem)
                    return AdminResult.Fail(problem);
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                try
                {
                    return await change(db);
                }
                catch (Exception e) when (IsUniqueViolation(e))
                {
                    return AdminResult.Fail(text["TeamNameTaken", name ?? ""]);
                }
            },
            cancellationToken, result => result.Error);

    // SaveChanges wraps the database's error in a DbUpdateException, ExecuteUpdate does not.
    internal static bool IsUniqueViolation(Exception e) =>
        (e as PostgresException ?? e.InnerException as PostgresException) is { SqlState: PostgresErrorCodes.UniqueViolation };
}
