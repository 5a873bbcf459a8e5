using System.Runtime.CompilerServices;
using KvmPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace KvmPortal.Web.Audit;

public sealed record AuditPage(IReadOnlyList<AuditRecord> Entries, int Total);

/// <summary>Reads the audit log newest first: a page for the audit page, every match for the CSV export, one entry for its details.</summary>
public sealed class AuditQueries(IDbContextFactory<KvmPortalDbContext> contexts)
{
    public async Task<AuditPage> PageAsync(AuditFilter filter, int skip, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var matching = filter.Apply(db.AuditLog.AsNoTracking());
        var total = await matching.CountAsync(cancellationToken);
        var entries = await NewestFirst(matching).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return new AuditPage(entries, total);
    }

    /// <summary>Every matching entry, read as it is written out, so an export of the whole log needs no memory for it.</summary>
    public async IAsyncEnumerable<AuditRecord> StreamAsync(AuditFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await foreach (var entry in NewestFirst(filter.Apply(db.AuditLog.AsNoTracking())).AsAsyncEnumerable().WithCancellation(cancellationToken))
            yield return entry;
    }

    private static IQueryable<AuditRecord> NewestFirst(IQueryable<AuditRecord> records) =>
        records.OrderByDescending(a => a.Time).ThenByDescending(a => a.Id);
}
