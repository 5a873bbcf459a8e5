using KvmPortal.Hypervisor.Snapshots;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Clone;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Web.Access;

namespace KvmPortal.Web.Jobs;

/// <summary>
/// Starts the dashboard's long operations as jobs of the current user. Each job's work calls the gated service of the
/// job's own scope, which checks the permission and audits the operation as for an inline call; so a job runs only
/// what the gate admits, and a refusal ends the job with that refusal.
/// </summary>
public sealed class OperationJobs(IJobCenter jobs, AuditTargets targets)
{
    public Task<JobHandle> CloneVmAsync(VmInfo source, CloneSpec spec) =>
        jobs.StartAsync(new JobRequest(JobKinds.VmClone, targets.NewVm(source.HostId, spec.Name), $"{source.Name} → {spec.Name}"), async job =>
        {
            var progress = new JobProgressAdapter<CloneProgress>(job.Progress,
                p => new JobProgress(p.Transfer.DoneBytes, p.Transfer.TotalBytes, $"{p.Disk} ({p.DiskNumber}/{p.DiskCount})"));
            var clone = await Service<IVmCloning>(job).CloneAsync(source.Key, spec, progress, job.CancellationToken);
            return new JobOutcome(VmLink(clone));
        });

    public Task<JobHandle> CreateVmAsync(DomainSpec spec) =>
        jobs.StartAsync(new JobRequest(JobKinds.VmCreate, targets.NewVm(spec.HostId, spec.Name), spec.Name), async job =>
            new JobOutcome(VmLink(await Service<IVmProvisioning>(job).CreateAsync(spec, job.CancellationToken))));

    public Task<JobHandle> SnapshotVmAsync(VmKey vm, string vmName, SnapshotSpec spec) =>
        jobs.StartAsync(new JobRequest(JobKinds.VmSnapshot, targets.Vm(vm), string.IsNullOrWhiteSpace(spec.Name) ? vmName : $"{vmName}: {spec.Name.Trim()}"),
            async job =>
            {
                await Service<ISnapshotOperations>(job).CreateAsync(vm, spec, JobProgressAdapter.Transfer(job.Progress), job.CancellationToken);
                return new JobOutcome(VmLink(vm));
            });

    public Task<JobHandle> CopyVolumeAsync(Guid hostId, VolumeCopySpec spec) =>
        jobs.StartAsync(new JobRequest(JobKinds.VolumeCopy, targets.Storage(hostId, spec.TargetPool, spec.TargetName),
            $"{spec.SourcePool}/{spec.SourceName} → {spec.TargetPool}/{spec.TargetName}"), async job =>
        {
            await Service<IStorageOperations>(job).CopyVolumeAsync(hostId, spec, JobProgressAdapter.Transfer(job.Progress), job.CancellationToken);
            return new JobOutcome(StorageLink);
        });

    /// <summary>libvirt's pool build cannot be interrupted, so this job cannot be cancelled.</summary>
    public Task<JobHandle> BuildPoolAsync(Guid hostId, string pool) =>
        jobs.StartAsync(new JobRequest(JobKinds.PoolBuild, targets.Storage(hostId, pool), pool, Cancellable: false), async job =>
        {
            await Service<IStorageOperations>(job).BuildPoolAsync(hostId, pool, job.CancellationToken);
            return new JobOutcome(StorageLink);
        });

    public static string VmLink(VmKey vm) => $"vms/{vm.HostId}/{vm.Uuid}";

    private const string StorageLink = "storage";

    private static T Service<T>(JobContext job) where T : notnull => job.Services.GetRequiredService<T>();
}
