using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Hypervisor.Vms.Edit;
using KvmPortal.Web.Quotas;

namespace KvmPortal.Web.Access.Gated;

/// <summary>
/// <see cref="IVmEditing"/> through the gate. Every change is audited with the persistent XML before and after;
/// reading the XML needs the edit permission too (it can hold a console password). Raising vCPUs or memory (also in
/// edited XML), attaching a disk and starting are checked against the team's quota first.
/// </summary>
internal sealed class GatedVmEditing(IVmEditing inner, OperationGate gate, AuditTargets targets, VmOwnershipIndex ownership, QuotaGuard quotas)
    : IVmEditing
{
    public Task SetVcpusAsync(VmKey vm, int count, ChangeScope scope, CancellationToken cancellationToken = default) =>
        EditAsync(vm, "vm.edit.vcpus", new { count, scope }, () => inner.SetVcpusAsync(vm, count, scope, cancellationToken), cancellationToken,
            ct => quotas.EnsureVcpusAsync(vm, count, ct));

    public Task SetMemoryAsync(VmKey vm, ulong bytes, ChangeScope scope, CancellationToken cancellationToken = default) =>
        EditAsync(vm, "vm.edit.memory", new { bytes, scope }, () => inner.SetMemoryAsync(vm, bytes, scope, cancellationToken), cancellationToken,
            ct => quotas.EnsureMemoryAsync(vm, bytes, ct));

    public Task<string> AttachDiskAsync(VmKey vm, DiskSpec disk, ChangeScope scope, CancellationToken cancellationToken = default) =>
        EditAsync(vm, "vm.edit.attach-disk", new { disk, scope }, () => inner.AttachDiskAsync(vm, disk, scope, cancellationToken), cancellationToken,
            ct => quotas.EnsureAttachDiskAsync(vm, disk, ct));

    public Task DetachDiskAsync(VmKey vm, string target, ChangeScope scope, CancellationToken cancellationToken = default) =>
        EditAsync(vm, "vm.edit.detach-disk", new { target, scope }, () => inner.DetachDiskAsync(vm, target, scope, cancellationToken), cancellationToken);

    public Task<string> AttachNicAsync(VmKey vm, NicSpec nic, ChangeScope scope, CancellationToken cancellationToken = default) =>
        EditAsync(vm, "vm.edit.attach-nic", new { nic, scope }, () => inner.AttachNicAsync(vm, nic, scope, cancellationToken), cancellationToken);

    public Task DetachNicAsync(VmKey vm, string mac, ChangeScope scope, CancellationToken cancellationToken = default) =>
        EditAsync(vm, "vm.edit.detach-nic", new { mac, scope }, () => inner.DetachNicAsync(vm, mac, scope, cancellationToken), cancellationToken);

    public Task ChangeMediaAsync(VmKey vm, string target, CdromMedia media, ChangeScope scope, CancellationToken cancellationToken = default) =>
        EditAsync(vm, "vm.edit.media", new { target, media, scope }, () => inner.ChangeMediaAsync(vm, target, media, scope, cancellationToken), cancellationToken);

    public Task SetBootOrderAsync(VmKey vm, IReadOnlyList<BootDevice> order, bool bootMenu, CancellationToken cancellationToken = default) =>
        EditAsync(vm, "vm.edit.boot-order", new { order, bootMenu }, () => inner.SetBootOrderAsync(vm, order, bootMenu, cancellationToken), cancellationToken);

    public Task SetAutostartAsync(VmKey vm, bool enabled, CancellationToken cancellationToken = default) =>
        EditAsync(vm, "vm.edit.autostart", new { enabled }, () => inner.SetAutostartAsync(vm, enabled, cancellationToken), cancellationToken);

    public Task SetTitleAndDescriptionAsync(VmKey vm, string? title, string? description, CancellationToken cancellationToken = default) =>
        EditAsync(vm, "vm.edit.title", new { title, description }, () => inner.SetTitleAndDescriptionAsync(vm, title, description, cancellationToken), cancellationToken);

    public Task RenameAsync(VmKey vm, string newName, CancellationToken cancellationToken = default) =>
        EditAsync(vm, "vm.edit.rename", new { newName }, () => inner.RenameAsync(vm, newName, cancellationToken), cancellationToken);

    public Task ReplaceXmlAsync(VmKey vm, string xml, CancellationToken cancellationToken = default) =>
        EditAsync(vm, "vm.edit.xml", null, () => inner.ReplaceXmlAsync(vm, xml, cancellationToken), cancellationToken,
            ct => quotas.EnsureXmlAsync(vm, xml, ct));

    public async Task<string> GetPersistentXmlAsync(VmKey vm, CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.EditVm, AccessTarget.Of(vm), cancellationToken);
        return await inner.GetPersistentXmlAsync(vm, cancellationToken);
    }

    public async Task<DeletionPlan> DescribeDeletionAsync(VmKey vm, DeleteOptions options, CancellationToken cancellationToken = default)
    {
        await gate.DemandAsync(PortalAction.DeleteVm, AccessTarget.Of(vm), cancellationToken);
        return await inner.DescribeDeletionAsync(vm, options, cancellationToken);
    }

    public async Task<DeletionResult> DeleteAsync(VmKey vm, DeleteOptions options, CancellationToken cancellationToken = default)
    {
        var result = await gate.RunAsync(
            Operation(PortalAction.DeleteVm, vm, "vm.delete", options),
            () => inner.DeleteAsync(vm, options, cancellationToken), cancellationToken);
        await ownership.RemoveAsync(vm, CancellationToken.None);
        return result;
    }

    public Task ManagedSaveAsync(VmKey vm, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Operation(PortalAction.ControlVm, vm, "vm.managed-save", null),
            () => inner.ManagedSaveAsync(vm, cancellationToken), cancellationToken);

    public Task RemoveManagedSaveAsync(VmKey vm, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Operation(PortalAction.ControlVm, vm, "vm.remove-managed-save", null),
            () => inner.RemoveManagedSaveAsync(vm, cancellationToken), cancellationToken);

    public Task StartAsync(VmKey vm, bool paused, CancellationToken cancellationToken = default) =>
        gate.RunAsync(Operation(PortalAction.ControlVm, vm, "vm.start", new { paused }) with { Admit = ct => quotas.EnsureStartAsync(vm, ct) },
            () => inner.StartAsync(vm, paused, cancellationToken), cancellationToken);

    private Task EditAsync(VmKey vm, string action, object? parameters, Func<Task> run, CancellationToken cancellationToken,
        Func<CancellationToken, Task>? admit = null) =>
        gate.RunAsync(Operation(PortalAction.EditVm, vm, action, parameters) with { Admit = admit }, run, cancellationToken);

    private Task<T> EditAsync<T>(VmKey vm, string action, object? parameters, Func<Task<T>> run, CancellationToken cancellationToken,
        Func<CancellationToken, Task>? admit = null) =>
        gate.RunAsync(Operation(PortalAction.EditVm, vm, action, parameters) with { Admit = admit }, run, cancellationToken);

    private GatedOperation Operation(PortalAction permission, VmKey vm, string action, object? parameters) =>
        new(permission, action, AccessTarget.Of(vm), targets.Vm(vm), parameters,
            permission == PortalAction.ControlVm ? null : cancellationToken => ReadXmlAsync(vm, cancellationToken));

    private async Task<string?> ReadXmlAsync(VmKey vm, CancellationToken cancellationToken) =>
        await inner.GetPersistentXmlAsync(vm, cancellationToken);
}
