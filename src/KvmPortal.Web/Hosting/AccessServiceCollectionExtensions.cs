using KvmPortal.Hypervisor.Networks;
using KvmPortal.Hypervisor.Snapshots;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Hypervisor.Vms.Edit;
using KvmPortal.Web.Access;
using KvmPortal.Web.Access.Gated;
using KvmPortal.Web.Audit;
using KvmPortal.Web.Consoles;
using KvmPortal.Web.Hosts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KvmPortal.Web.Hosting;

public static class AccessServiceCollectionExtensions
{
    /// <summary>
    /// Who may do what: the policy, the current actor (circuits and requests), the operation gate, and the gated
    /// services. The hypervisor classes stay registered under their concrete types; the interfaces pages, endpoints
    /// and the API inject resolve to decorators that check and audit. Call after AddKvmPortalHypervisor and
    /// AddKvmPortalConsoles.
    /// </summary>
    public static IServiceCollection AddKvmPortalAccess(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddSingleton<VmOwnershipIndex>();
        services.AddSingleton<VmOwnership>();
        services.AddSingleton<TeamDirectoryReader>();
        services.AddSingleton<AccessPolicy>();
        services.AddSingleton<AdministratorRoleMirror>();
        services.AddSingleton<IAuthorizationHandler, PortalActionAuthorizationHandler>();
        services.AddAuthorizationBuilder().AddPolicy(PortalActionAuthorizationHandler.ViewAuditPolicy, policy =>
            policy.RequireAuthenticatedUser().AddRequirements(new PortalActionRequirement(PortalAction.ViewAudit)));
        services.AddSingleton<IAccessPolicy>(sp => sp.GetRequiredService<AccessPolicy>());
        services.AddSingleton<AuditTargets>();
        services.AddSingleton<ConsoleAccess>();

        services.AddScoped<CircuitConnection>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, CircuitConnectionHandler>());
        services.AddScoped<ICurrentActor, CurrentActor>();
        services.AddScoped<OperationGate>();
        services.AddScoped<VmCreationTeam>();
        services.AddScoped<IAccessViewSource, AccessViewSource>();
        services.AddScoped<VmOwnerAssignment>();
        services.AddScoped<Admin.UserAdministration>();
        services.AddScoped<Admin.TeamAdministration>();
        services.AddKvmPortalQuotas();

        Decorate<IVmOperations, GatedVmOperations>(services);
        Decorate<IVmProvisioning, GatedVmProvisioning>(services);
        Decorate<KvmPortal.Hypervisor.Vms.Clone.IVmCloning, GatedVmCloning>(services);
        Decorate<KvmPortal.Hypervisor.Vms.Migration.IVmMigration, GatedVmMigration>(services);
        Decorate<IVmEditing, GatedVmEditing>(services);
        Decorate<KvmPortal.Hypervisor.Vms.Templates.IVmTemplates, GatedVmTemplates>(services);
        Decorate<INetworkOperations, GatedNetworkOperations>(services);
        Decorate<IStorageOperations, GatedStorageOperations>(services);
        Decorate<IStorageQueries, GatedStorageQueries>(services);
        Decorate<ISnapshotOperations, GatedSnapshotOperations>(services);
        Decorate<KvmPortal.Hypervisor.Consoles.Screenshots.IVmScreenshots, GatedVmScreenshots>(services);
        services.AddScoped<IHostDirectory, GatedHostDirectory>();

        services.AddHostedService<AdministratorGrantBootstrap>();
        services.AddHostedService<OwnershipIndexer>();
        return services;
    }

    /// <summary>Moves the registered implementation of <typeparamref name="TService"/> to its concrete type and puts the decorator in front.</summary>
    private static void Decorate<TService, TDecorator>(IServiceCollection services)
        where TService : class
        where TDecorator : TService
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(TService) && !d.IsKeyedService)
            ?? throw new InvalidOperationException($"{typeof(TService).Name} is not registered; call AddKvmPortalHypervisor first.");
        var inner = registered.ImplementationType
            ?? throw new InvalidOperationException($"{typeof(TService).Name} must be registered by type to be decorated.");
        services.RemoveAll<TService>();
        services.TryAddSingleton(inner);
        services.AddKeyedSingleton<TService>(ServiceKeys.Ungated, (sp, _) => (TService)sp.GetRequiredService(inner));
        services.AddScoped<TService>(sp => ActivatorUtilities.CreateInstance<TDecorator>(sp, (TService)sp.GetRequiredService(inner)));
    }
}
