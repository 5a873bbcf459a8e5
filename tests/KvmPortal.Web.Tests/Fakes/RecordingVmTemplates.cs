using System.Collections.Concurrent;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Templates;

namespace KvmPortal.Web.Tests.Fakes;

/// <summary>
/// Marks and unmarks templates in the fake inventory as the host session would after the real call, refusing a VM
/// that is not shut off as the real one does; records each change.
/// </summary>
public sealed class RecordingVmTemplates(FakeInventory inventory) : IVmTemplates
{
    public ConcurrentQueue<(VmKey Vm, bool Template)> Changes { get; } = new();

    public Task SetTemplateAsync(VmKey vm, bool template, CancellationToken cancellationToken = default)
    {
        var info = inventory.Current.Vms[vm];
        if (template && info.State != VmState.ShutOff)
            throw HypervisorException.Because(HypervisorErrorKind.TemplateNeedsShutOff, $"{info.Name} must be shut off to become a template.", info.Name);
        Changes.Enqueue((vm, template));
        inventory.Push(new VmChanged(info with { Template = template }));
        return Task.CompletedTask;
    }
}
