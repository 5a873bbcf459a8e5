using KvmPortal.Hypervisor;
using KvmPortal.Web.Hosts;
using KvmPortal.Web.Hosts.Credentials;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KvmPortal.Web.Hosting;

public static class KvmPortalHypervisorServiceCollectionExtensions
{
    /// <summary>
    /// The hypervisor service layer (inventory, host sessions, VM operations) plus the host registry on top of it.
    /// Registered after the data services so the migration has run before stored hosts are attached.
    /// </summary>
    public static IServiceCollection AddKvmPortalHypervisor(this IServiceCollection services)
    {
        services.AddHypervisor();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<HostCredentialValidator>();
        services.AddSingleton<HostCredentialProtector>();
        services.AddSingleton<HostDirectory>();
        services.AddHostedService<HostStartup>();
        return services;
    }
}
