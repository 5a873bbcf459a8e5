using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
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
/// One VM action on many VMs through the gated <see cref="IVmOperations"/> (each VM checked and audited on its
/// own). Hosts run in parallel, at most <see cref="PerHostLimit"/> calls at a time on one host; a failure is
/// reported for its VM and the others go on. A VM on an offline host fails at once: its host's own queue holds
/// no other host's work, and the host session refuses without waiting.
/// </summary>
public sealed class BulkVmActions(IVmOperations operations, IInventory inventory, IStringLocalizer<Strings> text, ILogger<BulkVmActions> logger)
{
    public const int PerHostLimit = 4;

    /// <param name="finished">Called as each VM's result is known (for showing progress).</param>
    /// <returns>One result per VM, in the order given.</returns>
    public async Task<IReadOnlyList<BulkVmResult>> RunAsync(IReadOnlyList<VmKey> vms, VmAction action,
        Action<BulkVmResult>? finished = null, CancellationToken cancellationToken = default)
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
                    results[item.index] = await RunOneAsync(item.vm, action, cancellationToken);
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

    private async Task<BulkVmResult> RunOneAsync(VmKey vm, VmAction action, CancellationToken cancellationToken)
    {
        var name = inventory.Current.Vms.TryGetValue(vm, out var info) ? info.Name : vm.Uuid.ToString();
        try
        {
            await operations.ExecuteAsync(vm, action, cancellationToken);
            return new BulkVmResult(vm, name, null);
        }
        catch (HypervisorException e)
        {
            return new BulkVmResult(vm, name, ErrorMessages.Describe(text, e, text["VmOperation", text[$"VmAction{action}"], name]));
        }
        catch (AccessDeniedException)
        {
            return new BulkVmResult(vm, name, text["AccessDenied"]);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Anything else (e.g. the audit entry could not be written) fails this VM only; the details go to the log.
            logger.LogError(e, "Bulk {Action} of VM {Vm} failed unexpectedly", action, vm);
            return new BulkVmResult(vm, name, text["BulkActionUnexpectedError"]);
        }
    }
}
