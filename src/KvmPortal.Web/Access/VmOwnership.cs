using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Web.Access;

/// <summary>Who owns a VM: sets it in the PostgreSQL index (the query path).</summary>
public sealed class VmOwnership(VmOwnershipIndex index)
{
    public Task<Guid?> GetOwnerAsync(VmKey vm, CancellationToken cancellationToken = default) =>
        index.GetTeamAsync(vm, cancellationToken);

    /// <summary>Gives the VM to <paramref name="team"/>, or to no team when null.</summary>
    public Task SetOwnerAsync(VmKey vm, Guid? team, CancellationToken cancellationToken = default) =>
        index.SetAsync(vm, team, cancellationToken);
}
