using KvmPortal.Web.Consoles;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KvmPortal.Web.Hosting;

public static class ConsoleServiceCollectionExtensions
{
    /// <summary>Console tickets and the registry of open console sessions.</summary>
    public static IServiceCollection AddKvmPortalConsoles(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<ConsoleTickets>();
        services.AddSingleton<ConsoleSessions>();
        services.AddSingleton<ConsoleHistory>();
        services.AddOptions<ConsoleOptions>().BindConfiguration("Consoles").ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
