using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace KvmPortal.Web.Data;

/// <summary>Applies pending migrations at start-up, before anything else touches the database.</summary>
internal sealed class DatabaseMigrator(IDbContextFactory<KvmPortalDbContext> contextFactory) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // On an empty database EF reads the history table before creating it and logs that failed query as an
        // error; creating the table first keeps a first start free of alarming "fail:" lines.
        var history = db.GetService<IHistoryRepository>();
        await history.CreateIfNotExistsAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
