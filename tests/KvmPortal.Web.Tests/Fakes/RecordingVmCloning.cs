using System.Collections.Concurrent;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Clone;
using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Web.Tests.Fakes;

/// <summary>
/// Checks the name with the real <see cref="DomainSpecValidator"/> and the source's state in the inventory as the real
/// cloner does, plans <see cref="Disks"/> for every source, and records the clones made.
/// </summary>
public sealed class RecordingVmCloning(IInventory inventory) : IVmCloning
{
    public List<ClonedDisk> Disks { get; } = [];

    public ConcurrentQueue<(VmKey Source, CloneSpec Spec)> Cloned { get; } = new();

    public Task<ClonePlan> PlanAsync(VmKey source, CloneSpec spec, CancellationToken cancellationToken = default)
    {
        if (DomainSpecValidator.CheckName(spec.Name, "VmName", "Name") is { } problem)
            throw HypervisorException.Invalid([problem]);
        var vm = inventory.Current.Vms[source];
        if (spec.FromTemplate && !vm.Template)
            throw HypervisorException.Because(HypervisorErrorKind.NotATemplate, $"{vm.Name} is not a template.", vm.Name);
        if (vm.State != VmState.ShutOff)
            throw HypervisorException.Because(HypervisorErrorKind.InvalidState, $"{vm.Name} must be shut off to be cloned.");
        return Task.FromResult(new ClonePlan(vm.Name, "<domain/>", Disks));
    }

    public async Task<VmKey> CloneAsync(VmKey source, CloneSpec spec, IProgress<CloneProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        await PlanAsync(source, spec, cancellationToken);
        Cloned.Enqueue((source, spec));
        return new VmKey(source.HostId, Guid.NewGuid());
    }
}
