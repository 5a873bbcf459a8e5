using System.Collections.Concurrent;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Migration;

namespace KvmPortal.Web.Tests.Fakes;

/// <summary>Records migrations; refuses one to the VM's own host as the real service does, else "moves" the VM to the target.</summary>
public sealed class RecordingVmMigration : IVmMigration
{
    public ConcurrentQueue<(VmKey Vm, MigrationSpec Spec)> Calls { get; } = new();

    public Task CheckAsync(VmKey vm, MigrationSpec spec, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue((vm, spec));
        if (spec.TargetHostId == vm.HostId)
            throw HypervisorException.Because(HypervisorErrorKind.MigrationSameHost, "The VM is already on that host: pick another.");
        return Task.CompletedTask;
    }

    public async Task<VmKey> MigrateAsync(VmKey vm, MigrationSpec spec, IProgress<MigrationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        await CheckAsync(vm, spec, cancellationToken);
        progress?.Report(new MigrationProgress(MigrationPhase.Done));
        return new VmKey(spec.TargetHostId, vm.Uuid);
    }
}
