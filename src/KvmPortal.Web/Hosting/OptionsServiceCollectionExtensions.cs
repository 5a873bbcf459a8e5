using KvmPortal.Hypervisor;

namespace KvmPortal.Web.Hosting;

public static class OptionsServiceCollectionExtensions
{
    public const string AdminPasswordVariable = "KVMPORTAL_ADMIN_PASSWORD";

    public static IServiceCollection AddKvmPortalOptions(this IServiceCollection services)
    {
        services.AddOptions<KvmPortalOptions>()
            .BindConfiguration(KvmPortalOptions.Section)
            .Configure<IConfiguration>((options, configuration) =>
            {
                // A list default cannot live in the property initializer: the binder would append to it.
                if (options.DefaultHosts.Count == 0)
                    options.DefaultHosts.Add(KvmPortalOptions.DefaultHostUri);
                if (configuration[AdminPasswordVariable] is { Length: > 0 } password)
                    options.AdminPassword = password;
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOptions<HypervisorOptions>()
            .BindConfiguration("Hypervisor")
            .ValidateOnStart();
        return services;
    }
}
