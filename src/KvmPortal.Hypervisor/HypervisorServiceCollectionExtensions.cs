using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Hypervisor;

// PLACEHOLDER in the web branch only: the lead replaces this file with the real registrations
// (IInventory, IHostManager, IVmOperations and the hosted services) when merging.
public static class HypervisorServiceCollectionExtensions
{
    public static IServiceCollection AddHypervisor(this IServiceCollection services) => services;
}

public sealed class HypervisorOptions
{
    public TimeSpan StatsInterval { get; set; } = TimeSpan.FromSeconds(5);
}
