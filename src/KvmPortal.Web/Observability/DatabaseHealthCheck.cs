using KvmPortal.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KvmPortal.Web.Observability;

/// <summary>Readiness: PostgreSQL answers a real query within a few seconds.</summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<KvmPortalDbContext> contexts) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(timeout.Token);
            await db.Database.ExecuteSqlRawAsync("SELECT 1", timeout.Token);
            return HealthCheckResult.Healthy("PostgreSQL answered.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception's message stays out of the public body: it could name servers; the type says enough.
            return HealthCheckResult.Unhealthy($"PostgreSQL is unreachable ({e.GetType().Name}).");
        }
    }
}
