using System.Collections.Concurrent;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Web.Tests.Fakes;

/// <summary>Records the actions asked for; throws <see cref="Failure"/> instead when set.</summary>
public sealed class RecordingVmOperations : IVmOperations
{
    public ConcurrentQueue<(VmKey Vm, VmAction Action)> Calls { get; } = new();

    public Exception? Failure { get; set; }

    public Func<VmKey, VmDetails>? Details { get; set; }

    public Task ExecuteAsync(VmKey vm, VmAction action, CancellationToken cancellationToken = default)
    {
        if (Failure is not null)
            return Task.FromException(Failure);
        Calls.Enqueue((vm, action));
        return Task.CompletedTask;
    }

    public Task<VmDetails> GetDetailsAsync(VmKey vm, CancellationToken cancellationToken = default) =>
        Details is null
            ? Task.FromException<VmDetails>(new KvmPortal.Hypervisor.HypervisorException("No details in this test."))
            : Task.FromResult(Details(vm));
}
