namespace KvmPortal.Hypervisor.Vms.Migration;

/// <summary>Moves VMs between the dashboard's hosts, live or offline. Disks must be on storage both hosts see.</summary>
public interface IVmMigration
{
    /// <summary>
    /// Checks a migration without starting it: the target is another host and online, the VM's state fits the mode,
    /// no VM with its name or UUID is on the target, and every disk's path is a volume of a pool on the target.
    /// Throws a <see cref="HypervisorException"/> naming what is wrong.
    /// </summary>
    Task CheckAsync(VmKey vm, MigrationSpec spec, CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks, then migrates. A live migration reports libvirt's job statistics through <paramref name="progress"/>;
    /// cancelling aborts libvirt's job, and the VM keeps running on the source (an <see cref="OperationCanceledException"/>
    /// follows). The VM is persistent on the target and, unless kept, undefined on the source.
    /// </summary>
    /// <returns>The VM on the target host.</returns>
    Task<VmKey> MigrateAsync(VmKey vm, MigrationSpec spec, IProgress<MigrationProgress>? progress = null, CancellationToken cancellationToken = default);
}
