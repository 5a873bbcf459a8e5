namespace KvmPortal.Hypervisor.Vms.Ownership;

/// <summary>The team that owns a VM, as written on the host.</summary>
public sealed record VmOwnerTag(Guid TeamId, string TeamName);

/// <summary>
/// Keeps a VM's owning team in the domain's own &lt;metadata&gt; (our namespace), so the fact survives on the host:
/// another dashboard instance, or this one with a fresh database, reads it back.
/// </summary>
public interface IVmOwnerTags
{
    /// <summary>Writes the tag (live and in the persistent definition, as the domain has them); null removes it.</summary>
    Task SetAsync(VmKey vm, VmOwnerTag? tag, CancellationToken cancellationToken = default);

    /// <summary>The tag, or null when the domain has none (or an unreadable one).</summary>
    Task<VmOwnerTag?> GetAsync(VmKey vm, CancellationToken cancellationToken = default);
}
