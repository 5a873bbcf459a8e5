using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Web.Access;

/// <summary>What an operation acts on: a host, a VM on it, or a team (creating a VM for a team).</summary>
public sealed record AccessTarget(Guid? HostId = null, Guid? VmUuid = null, Guid? TeamId = null)
{
    public static AccessTarget Global { get; } = new();

    public static AccessTarget Of(VmKey vm) => new(vm.HostId, vm.Uuid);

    public static AccessTarget Host(Guid hostId) => new(hostId);
}

/// <summary>The one place permission decisions are made, for the UI, the API and the console proxy alike.</summary>
public interface IAccessPolicy
{
    Task<bool> IsAllowedAsync(Actor actor, PortalAction action, AccessTarget target, CancellationToken cancellationToken = default);

    /// <summary>Throws <see cref="AccessDeniedException"/> unless <see cref="IsAllowedAsync"/>.</summary>
    Task DemandAsync(Actor actor, PortalAction action, AccessTarget target, CancellationToken cancellationToken = default);

    /// <summary>A predicate over VMs the actor may see, for lists and change streams.</summary>
    Task<Func<VmKey, bool>> GetVmVisibilityAsync(Actor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Decisions for the actor whose reading starts now, to overlap other work of the same request (the console proxy
    /// redeems its ticket meanwhile); they are as fresh as <see cref="IsAllowedAsync"/>.
    /// </summary>
    Func<PortalAction, AccessTarget, Task<bool>> Prepare(Actor actor, CancellationToken cancellationToken = default) =>
        (action, target) => IsAllowedAsync(actor, action, target, cancellationToken);
}

/// <summary>The actor may not perform the action; shown to the user, audited, 403 in the API.</summary>
public sealed class AccessDeniedException(PortalAction action, string message) : Exception(message)
{
    public PortalAction Action { get; } = action;
}
