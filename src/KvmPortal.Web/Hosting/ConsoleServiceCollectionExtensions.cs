using KvmPortal.Web.Consoles;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KvmPortal.Web.Hosting;

public static class ConsoleServiceCollectionExtensions
{
    /// <summary>Console tickets (and, with the console proxy, its sessions).</summary>
    public static IServiceCollection AddKvmPortalConsoles(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ConsoleTickets>();
        return services;
    }
}
