using KvmPortal.Web.Quotas;

namespace KvmPortal.Web.Hosting;

public static class QuotaServiceCollectionExtensions
{
    /// <summary>Team quotas (issue 8): what teams use, and the guard the gated decorators ask before allocating.</summary>
    public static IServiceCollection AddKvmPortalQuotas(this IServiceCollection services)
    {
        services.AddSingleton<QuotaUsageReader>();
        services.AddSingleton<QuotaGuard>();
        return services;
    }
}
