using System.Collections.Concurrent;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Web.Tests.Fakes;

/// <summary>
/// VM operations whose calls on held hosts wait until <see cref="Release"/>; counts the calls in flight per host
/// and fails the VMs given in <see cref="Failures"/> at once.
/// </summary>
public sealed class GatedFakeVmOperations : IVmOperations
{
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<Guid, int> inFlight = new();
    private readonly ConcurrentDictionary<Guid, int> maxInFlight = new();

    public ConcurrentQueue<(VmKey Vm, VmAction Action)> Calls { get; } = new();

    public ConcurrentDictionary<VmKey, Exception> Failures { get; } = new();

    /// <summary>Hosts whose calls wait for <see cref="Release"/>.</summary>
    public ConcurrentDictionary<Guid, bool> HeldHosts { get; } = new();

    public int InFlight(Guid host) => inFlight.GetValueOrDefault(host);

    public int MaxInFlight(Guid host) => maxInFlight.GetValueOrDefault(host);

    public void Release() => released.TrySetResult();

    public async Task ExecuteAsync(VmKey vm, VmAction action, CancellationToken cancellationToken = default)
    {
        if (Failures.TryGetValue(vm, out var failure))
            throw failure;
        var now = inFlight.AddOrUpdate(vm.HostId, 1, (_, n) => n + 1);
        maxInFlight.AddOrUpdate(vm.HostId, now, (_, max) => Math.Max(max, now));
        try
        {
            if (HeldHosts.ContainsKey(vm.HostId))
                await released.Task.WaitAsync(cancellationToken);
            Calls.Enqueue((vm, action));
        }
        finally
        {
            inFlight.AddOrUpdate(vm.HostId, 0, (_, n) => n - 1);
        }
    }

    public Task<VmDetails> GetDetailsAsync(VmKey vm, CancellationToken cancellationToken = default) =>
        Task.FromException<VmDetails>(new KvmPortal.Hypervisor.HypervisorException("No details in this test."));
}
