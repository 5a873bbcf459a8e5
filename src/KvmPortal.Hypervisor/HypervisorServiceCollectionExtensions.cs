using KvmPortal.Hypervisor.Consoles;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Hypervisor.Snapshots;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Hypervisor.Vms.Edit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KvmPortal.Hypervisor;

public static class HypervisorServiceCollectionExtensions
{
    /// <summary>
    /// Registers the inventory, the host sessions and the operations. Bind <see cref="HypervisorOptions"/>
    /// to configure them; hosts are attached through <see cref="IHostManager"/>.
    /// </summary>
    public static IServiceCollection AddHypervisor(this IServiceCollection services)
    {
        services.AddOptions<HypervisorOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<InventoryStore>();
        services.AddSingleton<IInventory>(sp => sp.GetRequiredService<InventoryStore>());
        services.AddSingleton<HostManager>();
        services.AddSingleton<IHostManager>(sp => sp.GetRequiredService<HostManager>());
        services.AddSingleton<IHostSampling>(sp => sp.GetRequiredService<HostManager>());
        services.AddSingleton<IVmOperations, VmOperations>();
        services.AddSingleton<IConsoleLocator, ConsoleLocator>();
        services.AddSingleton<ISerialConsoles, SerialConsoles>();
        services.AddSingleton<Consoles.Screenshots.IVmScreenshots, Consoles.Screenshots.VmScreenshots>();
        services.AddSingleton<IVmProvisioning, VmProvisioner>();
        services.AddSingleton<IVmEditing, VmEditor>();
        services.AddSingleton<Vms.Clone.IVmCloning, Vms.Clone.VmCloner>();
        services.AddSingleton<Vms.Migration.IVmMigration, Vms.Migration.VmMigrator>();
        services.AddSingleton<IStorageQueries, StorageQueries>();
        services.AddSingleton<INetworkOperations, NetworkOperations>();
        services.AddSingleton<IStorageOperations, StorageOperations>();
        services.AddSingleton<ISnapshotOperations, SnapshotOperations>();
        services.AddSingleton<Vms.Ownership.IVmOwnerTags, Vms.Ownership.VmOwnerTags>();
        services.AddSingleton<Vms.Templates.IVmTemplates, Vms.Templates.VmTemplates>();
        return services;
    }
}
