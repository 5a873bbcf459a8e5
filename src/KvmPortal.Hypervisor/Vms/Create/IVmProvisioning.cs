namespace KvmPortal.Hypervisor.Vms.Create;

/// <summary>Creates VMs from a <see cref="DomainSpec"/>, like virt-install.</summary>
public interface IVmProvisioning
{
    /// <summary>
    /// Every problem with the spec, keyed by field: the rules of <see cref="DomainSpecValidator"/>, the name's
    /// uniqueness on the host, and (when the host is online) whether the pools and volumes it names exist.
    /// </summary>
    Task<IReadOnlyList<SpecProblem>> ValidateAsync(DomainSpec spec, CancellationToken cancellationToken = default);

    /// <summary>The domain XML and the volumes that <see cref="CreateAsync"/> would create (virt-install --print-xml).</summary>
    Task<ProvisioningPlan> PreviewAsync(DomainSpec spec, CancellationToken cancellationToken = default);

    /// <summary>
    /// Validates, creates the new volumes, defines the domain (validated against libvirt's schema), sets autostart
    /// and starts it if asked. On any failure everything created so far is removed and a
    /// <see cref="HypervisorException"/> says what failed.
    /// </summary>
    Task<VmKey> CreateAsync(DomainSpec spec, CancellationToken cancellationToken = default);
}
