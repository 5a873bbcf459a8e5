using KvmPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace KvmPortal.Web.Consoles;

/// <summary>Console sessions as recorded in PostgreSQL, newest first.</summary>
public sealed class ConsoleHistory(IDbContextFactory<KvmPortalDbContext> contexts)
{
    public async Task<IReadOnlyList<ConsoleSessionRecord>> RecentAsync(int count, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ConsoleSessions.AsNoTracking()
            .Where(s => s.EndedAt != null)
            .OrderByDescending(s => s.StartedAt)
            .Take(count)
            .ToListAsync(cancellationToken);
    }
}
