using KvmPortal.Web.Jobs;

namespace KvmPortal.Web.Hosting;

public static class JobServiceCollectionExtensions
{
    /// <summary>
    /// The job center: one runner for the app (jobs outlive circuits), the per-user view of it, the job scope's
    /// actor, and the start-up step that marks jobs left running by a previous process as interrupted (after
    /// AddKvmPortalData, whose migrations it needs).
    /// </summary>
    public static IServiceCollection AddKvmPortalJobs(this IServiceCollection services)
    {
        services.AddSingleton<JobStore>();
        services.AddSingleton<JobRunner>();
        services.AddScoped<JobActor>();
        services.AddScoped<IJobCenter, JobCenter>();
        services.AddScoped<OperationJobs>();
        services.AddHostedService<InterruptedJobsMarker>();
        return services;
    }
}
