using KvmPortal.Hypervisor.Usage;
using KvmPortal.Web.Usage;
using KvmPortal.Web.Usage.Recording;
using KvmPortal.Web.Usage.Rollup;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Hosting;

public static class UsageServiceCollectionExtensions
{
    /// <summary>Usage history (issue 8): the recorder of the host sessions' samples, the rollup job and the queries.</summary>
    public static IServiceCollection AddKvmPortalUsage(this IServiceCollection services)
    {
        services.AddOptions<UsageOptions>().BindConfiguration(UsageOptions.Section)
            .Validate(o => o.RecordInterval > TimeSpan.Zero && o.RollupInterval > TimeSpan.Zero,
                "KvmPortal:Usage:RecordInterval and RollupInterval must be positive.")
            .Validate(o => o.RawRetention > TimeSpan.Zero && o.FiveMinuteRetention > TimeSpan.Zero && o.HourRetention > TimeSpan.Zero,
                "KvmPortal:Usage retention periods must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        // The recorder: the host sessions hand it their samples (HostManager takes every IUsageSampleSink), and it
        // writes them from its own background loop over its own PostgreSQL session.
        services.AddSingleton(sp => new UsageConnectionString(DataServiceCollectionExtensions.GetConnectionString(sp.GetRequiredService<IConfiguration>())));
        services.AddSingleton(sp => new UsageRecordingSession(sp.GetRequiredService<UsageConnectionString>().Value,
            sp.GetRequiredService<IOptions<KvmPortalOptions>>().Value.InstanceName));
        services.AddSingleton<UsageTeams>();
        services.AddSingleton<UsageRecorder>();
        services.AddSingleton<IUsageSampleSink>(sp => sp.GetRequiredService<UsageRecorder>());
        services.AddHostedService(sp => sp.GetRequiredService<UsageRecorder>());

        services.AddHostedService<UsageRollupJob>();

        // The queries, and the pages' and endpoints' one way in to them (permission checked on every read).
        services.AddSingleton<IUsageHistory, UsageHistory>();
        services.AddScoped<UsageReportAccess>();
        services.AddScoped<UsageReports>();
        services.AddScoped<IUsageReports>(sp => sp.GetRequiredService<UsageReports>());
        return services;
    }
}
