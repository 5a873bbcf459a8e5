using Microsoft.EntityFrameworkCore;

namespace KvmPortal.Web.Data;

/// <summary>Applies pending migrations at start-up, before anything else touches the database.</summary>
internal sealed class DatabaseMigrator(IDbContextFactory<KvmPortalDbContext> contextFactory, ILogger<DatabaseMigrator> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
            logger.LogInformation("Applying database migrations: {Migrations}", string.Join(", ", pending));
        await db.Database.MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
