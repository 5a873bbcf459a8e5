namespace KvmPortal.Hypervisor.Vms;

/// <summary>Operations on one VM. Failures raise <see cref="HypervisorException"/> with a user-facing message.</summary>
public interface IVmOperations
{
    Task ExecuteAsync(VmKey vm, VmAction action, CancellationToken cancellationToken = default);

    Task<VmDetails> GetDetailsAsync(VmKey vm, CancellationToken cancellationToken = default);
}
