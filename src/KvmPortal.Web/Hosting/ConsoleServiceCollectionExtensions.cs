using KvmPortal.Web.Consoles;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KvmPortal.Web.Hosting;

public static class ConsoleServiceCollectionExtensions
{
    /// <summary>Console tickets, the registry of open console sessions and the shared serial consoles.</summary>
    public static IServiceCollection AddKvmPortalConsoles(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<ConsoleTickets>();
        services.AddScoped<ConsoleGatekeeper>();
        services.AddSingleton<ConsoleSessions>();
        services.AddSingleton<SerialConsoleHub>();
        services.AddScoped<SerialDeviceList>();
        services.AddSingleton<ConsoleHistory>();
        services.AddScoped<ConsoleSessionAdministration>();
        services.AddScoped<ConsoleTakeOver>();
        services.AddOptions<ConsoleOptions>().BindConfiguration("Consoles").ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
