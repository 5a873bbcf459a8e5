using KvmPortal.Web.Audit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KvmPortal.Web.Hosting;

public static class AuditServiceCollectionExtensions
{
    /// <summary>The append-only audit log in PostgreSQL, and the auditing of sign-ins and console sessions.</summary>
    public static IServiceCollection AddKvmPortalAudit(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IAuditLog, PostgresAuditLog>();
        services.AddSingleton<AccountAudit>();
        services.AddSingleton<ConsoleAudit>();
        services.AddSingleton<AuditQueries>();
        return services;
    }
}
