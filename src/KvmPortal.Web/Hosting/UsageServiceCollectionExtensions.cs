using KvmPortal.Web.Usage;

namespace KvmPortal.Web.Hosting;

public static class UsageServiceCollectionExtensions
{
    /// <summary>Usage history (issue 8): the recorder of the host sessions' samples, the rollup job and the queries.</summary>
    public static IServiceCollection AddKvmPortalUsage(this IServiceCollection services)
    {
        services.AddOptions<UsageOptions>().BindConfiguration(UsageOptions.Section);
        return services;
    }
}
