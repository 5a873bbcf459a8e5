using KvmPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace KvmPortal.Web.Access;

/// <summary>Reads teams for pickers and labels; changing them is the admin pages' business.</summary>
public sealed class TeamDirectoryReader(IDbContextFactory<KvmPortalDbContext> contexts)
{
    public async Task<IReadOnlyDictionary<Guid, string>> GetNamesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
    }
}
