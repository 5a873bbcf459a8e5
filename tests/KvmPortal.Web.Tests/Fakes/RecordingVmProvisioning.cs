using System.Collections.Concurrent;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Web.Tests.Fakes;

/// <summary>
/// Validates with the real <see cref="DomainSpecValidator"/> (plus <see cref="ExistingNames"/>), records previews and
/// creations, and throws <see cref="Failure"/> from Preview/Create when set.
/// </summary>
public sealed class RecordingVmProvisioning : IVmProvisioning
{
    public HashSet<string> ExistingNames { get; } = [];

    public ConcurrentQueue<DomainSpec> Validated { get; } = new();

    public ConcurrentQueue<DomainSpec> Previewed { get; } = new();

    public ConcurrentQueue<DomainSpec> Created { get; } = new();

    public Exception? Failure { get; set; }

    public Guid CreatedUuid { get; } = Guid.NewGuid();

    public Task<IReadOnlyList<SpecProblem>> ValidateAsync(DomainSpec spec, CancellationToken cancellationToken = default)
    {
        Validated.Enqueue(spec);
        return Task.FromResult(DomainSpecValidator.Validate(spec, ExistingNames));
    }

    public Task<ProvisioningPlan> PreviewAsync(DomainSpec spec, CancellationToken cancellationToken = default)
    {
        if (Failure is not null)
            return Task.FromException<ProvisioningPlan>(Failure);
        Previewed.Enqueue(spec);
        var volumes = spec.Disks.Where(d => d.NewVolume is not null).Select(d => d.NewVolume!)
            .Select(v => new PlannedVolume(v.Pool, v.Name, v.SizeBytes, v.Format, v.Preallocation, v.BackingVolume, "<volume/>"))
            .ToList();
        return Task.FromResult(new ProvisioningPlan($"<domain type='qemu'><name>{spec.Name}</name></domain>", volumes));
    }

    public Task<VmKey> CreateAsync(DomainSpec spec, CancellationToken cancellationToken = default)
    {
        if (Failure is not null)
            return Task.FromException<VmKey>(Failure);
        Created.Enqueue(spec);
        return Task.FromResult(new VmKey(spec.HostId, CreatedUuid));
    }
}
