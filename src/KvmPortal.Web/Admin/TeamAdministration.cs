using KvmPortal.Web.Access;
using KvmPortal.Web.Audit;
using KvmPortal.Web.Data;
using KvmPortal.Web.Quotas;
using KvmPortal.Web.Resources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Npgsql;

namespace KvmPortal.Web.Admin;

public sealed record TeamSummary(Guid Id, string Name, int Members, int Vms);

/// <summary>
/// Creating, renaming and deleting teams and setting their quotas: administrators only, audited. Deleting a team drops
/// its grants and VM ownership.
/// </summary>
public sealed class TeamAdministration(
    IDbContextFactory<KvmPortalDbContext> contexts,
    OperationGate gate,
    TimeProvider clock,
    IStringLocalizer<Strings> text,
    QuotaUsageReader quotaUsage)
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

    /// <summary>Every team's quota with what it uses now (reads the pools of the hosts its VMs are on).</summary>
    public async Task<IReadOnlyList<TeamQuotaUse>> ListQuotaUseAsync(CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.ManageUsers, AccessTarget.Global, cancellationToken);
        return await quotaUsage.ReadAllAsync(cancellationToken);
    }

    /// <summary>Sets (or clears, with null) the team's quotas; audited as team.quota with the limits before and after.</summary>
    public async Task<AdminResult> SetQuotaAsync(Guid id, TeamQuotaLimits limits, CancellationToken cancellationToken = default)
    {
        var before = await quotaUsage.GetQuotaAsync(id, cancellationToken);
        return await gate.RunAsync(
            new GatedOperation(PortalAction.ManageUsers, "team.quota", AccessTarget.Global, new AuditTarget(Other: before?.TeamName),
                new { id, limits, before = before is null ? null : TeamQuotaLimits.Of(before) }),
            async () =>
            {
                if (!limits.IsValid)
                    return AdminResult.Fail(text["QuotaMustBePositive"]);
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                var updated = await db.Teams.Where(t => t.Id == id).ExecuteUpdateAsync(s => s
                    .SetProperty(t => t.MaxVcpus, limits.MaxVcpus)
                    .SetProperty(t => t.MaxMemoryMib, limits.MaxMemoryMib)
                    .SetProperty(t => t.MaxDiskGib, limits.MaxDiskGib)
                    .SetProperty(t => t.MaxVms, limits.MaxVms)
                    .SetProperty(t => t.QuotaCountsRunningOnly, limits.CountsRunningOnly), cancellationToken);
                return updated == 0 ? AdminResult.Fail(text["TeamNotFound"]) : AdminResult.Ok;
            },
            cancellationToken, result => result.Error);
    }

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
