using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Snapshots;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Edit;
using KvmPortal.Web.Access;
using KvmPortal.Web.Localization;
using KvmPortal.Web.Resources;
using Microsoft.Extensions.Localization;

namespace KvmPortal.Web.Vms.Bulk;

/// <summary>The outcome of a bulk action on one VM: <see cref="Error"/> is null when it worked.</summary>
public sealed record BulkVmResult(VmKey Vm, string Name, string? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// One operation on many VMs through the gated services (<see cref="IVmOperations"/>, <see cref="ISnapshotOperations"/>,
/// <see cref="IVmEditing"/>: each VM checked and audited on its own). Hosts run in parallel, at most
/// <see cref="PerHostLimit"/> calls at a time on one host; a failure is reported for its VM and the others go on. A VM
/// on an offline host fails at once: its host's own queue holds no other host's work, and the host session refuses
/// without waiting.
/// </summary>
public sealed class BulkVmActions(
    IVmOperations operations,
    ISnapshotOperations snapshots,
    IVmEditing editing,
    IInventory inventory,
    IStringLocalizer<Strings> text,
    ILogger<BulkVmActions> logger)
{
    public const int PerHostLimit = 4;

    /// <param name="finished">Called as each VM's result is known (for showing progress).</param>
    /// <returns>One result per VM, in the order given.</returns>
    public Task<IReadOnlyList<BulkVmResult>> RunAsync(IReadOnlyList<VmKey> vms, VmAction action,
        Action<BulkVmResult>? finished = null, CancellationToken cancellationToken = default) =>
        RunEachAsync(vms, text[$"VmAction{action}"], (vm, ct) => operations.ExecuteAsync(vm, action, ct), finished, cancellationToken);

    /// <summary>
    /// Takes a snapshot of each VM. An internal snapshot saves the memory of the VMs that run (as the single form does);
    /// an empty name lets libvirt name each one.
    /// </summary>
    public Task<IReadOnlyList<BulkVmResult>> SnapshotAsync(IReadOnlyList<VmKey> vms, string? name, string? description, SnapshotKind kind,
        Action<BulkVmResult>? finished = null, CancellationToken cancellationToken = default) =>
        RunEachAsync(vms, text["BulkSnapshot"], (vm, ct) =>
        {
            var running = inventory.Current.Vms.TryGetValue(vm, out var info) && info.State is VmState.Running or VmState.Paused or VmState.Blocked;
            return snapshots.CreateAsync(vm, new SnapshotSpec(name, description, kind, kind == SnapshotKind.Internal && running), cancellationToken: ct);
        }, finished, cancellationToken);

    /// <summary>Deletes each VM with the same options; volumes that could not be removed fail that VM's result (naming them).</summary>
    public Task<IReadOnlyList<BulkVmResult>> DeleteAsync(IReadOnlyList<VmKey> vms, DeleteOptions options,
        Action<BulkVmResult>? finished = null, CancellationToken cancellationToken = default) =>
        RunEachAsync(vms, text["VmDelete"], async (vm, ct) =>
        {
            var result = await editing.DeleteAsync(vm, options, ct);
            if (result.FailedVolumes.Count > 0)
                throw new HypervisorException(text["BulkDeleteLeftVolumes", string.Join("; ", result.FailedVolumes)]);
        }, finished, cancellationToken);

    private async Task<IReadOnlyList<BulkVmResult>> RunEachAsync(IReadOnlyList<VmKey> vms, string operation,
        Func<VmKey, CancellationToken, Task> run, Action<BulkVmResult>? finished, CancellationToken cancellationToken)
    {
        var results = new BulkVmResult[vms.Count];
        var hosts = vms.Select((vm, index) => (vm, index)).GroupBy(item => item.vm.HostId);
        await Task.WhenAll(hosts.Select(async host =>
        {
            using var slots = new SemaphoreSlim(PerHostLimit);
            await Task.WhenAll(host.Select(async item =>
            {
                await slots.WaitAsync(cancellationToken);
                try
                {
                    results[item.index] = await RunOneAsync(item.vm, operation, run, cancellationToken);
                }
                finally
                {
                    slots.Release();
                }
                finished?.Invoke(results[item.index]);
            }));
        }));
        return results;
    }

    private async Task<BulkVmResult> RunOneAsync(VmKey vm, string operation, Func<VmKey, CancellationToken, Task> run, CancellationToken cancellationToken)
    {
        var name = inventory.Current.Vms.TryGetValue(vm, out var info) ? info.Name : vm.Uuid.ToString();
        try
        {
            await run(vm, cancellationToken);
            return new BulkVmResult(vm, name, null);
        }
        catch (HypervisorException e)
        {
            return new BulkVmResult(vm, name, ErrorMessages.Describe(text, e, text["VmOperation", operation, name]));
        }
        catch (AccessDeniedException)
        {
            return new BulkVmResult(vm, name, text["AccessDenied"]);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Anything else (e.g. the audit entry could not be written) fails this VM only; the details go to the log.
            logger.LogError(e, "Bulk {Operation} of VM {Vm} failed unexpectedly", operation, vm);
            return new BulkVmResult(vm, name, text["BulkActionUnexpectedError"]);
        }
    }
}
