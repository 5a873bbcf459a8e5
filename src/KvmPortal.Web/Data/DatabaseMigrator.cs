using Microsoft.EntityFrameworkCore;

namespace KvmPortal.Web.Data;

/// <summary>Applies pending migrations at start-up, before anything else touches the database.</summary>
internal sealed class DatabaseMigrator(IDbContextFactory<KvmPortalDbContext> contextFactory) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
