using KvmPortal.Web.Audit;

namespace KvmPortal.Web.Hosting;

public static class AuditServiceCollectionExtensions
{
    /// <summary>The append-only audit log in PostgreSQL.</summary>
    public static IServiceCollection AddKvmPortalAudit(this IServiceCollection services)
    {
        services.AddSingleton<IAuditLog, PostgresAuditLog>();
        return services;
    }
}
