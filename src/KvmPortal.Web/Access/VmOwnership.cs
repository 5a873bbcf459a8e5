using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Ownership;

namespace KvmPortal.Web.Access;

/// <summary>
/// Who owns a VM. Setting it writes the domain's metadata on the host first (where it survives a new dashboard
/// database) and then the PostgreSQL index (what permission checks read); a host that cannot be written fails the
/// change, so the two do not disagree.
/// </summary>
public sealed class VmOwnership(VmOwnershipIndex index, IVmOwnerTags tags, TeamDirectoryReader teams)
{
    public Task<Guid?> GetOwnerAsync(VmKey vm, CancellationToken cancellationToken = default) =>
        index.GetTeamAsync(vm, cancellationToken);

    /// <summary>Gives the VM to <paramref name="team"/>, or to no team when null.</summary>
    public async Task SetOwnerAsync(VmKey vm, Guid? team, CancellationToken cancellationToken = default)
    {
        VmOwnerTag? tag = null;
        if (team is { } id)
        {
            var names = await teams.GetNamesAsync(cancellationToken);
            tag = new VmOwnerTag(id, names.TryGetValue(id, out var name) ? name : throw new ArgumentException($"Team {id} does not exist.", nameof(team)));
        }
        await tags.SetAsync(vm, tag, cancellationToken);
        await index.SetAsync(vm, team, cancellationToken);
    }
}
