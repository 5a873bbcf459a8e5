using KvmPortal.Libvirt.Interop;

namespace KvmPortal.Libvirt;

/// <summary>virDomainJobType: whether a background job runs and whether its size is known.</summary>
public enum DomainJobType
{
    None = 0,
    Bounded = 1,
    Unbounded = 2,
    Completed = 3,
    Failed = 4,
    Cancelled = 5,
}

/// <summary>A domain's background job (a save, a snapshot with memory, a migration): bytes in all, done and left.</summary>
public readonly record struct DomainJobInfo(DomainJobType Type, TimeSpan Elapsed, ulong DataTotalBytes, ulong DataProcessedBytes, ulong DataRemainingBytes);

/// <summary>The domain's background job.</summary>
public sealed partial class Domain
{
    /// <summary>The running job's progress (virDomainGetJobInfo); <see cref="DomainJobType.None"/> when none runs.</summary>
    public DomainJobInfo GetJobInfo()
    {
        Check(NativeMethods.virDomainGetJobInfo(_handle, out var info));
        return new DomainJobInfo((DomainJobType)info.Type, TimeSpan.FromMilliseconds(info.TimeElapsed),
            info.DataTotal, info.DataProcessed, info.DataRemaining);
    }

    /// <summary>
    /// Aborts the running job (virDomainAbortJob), e.g. a migration or a save of the memory. libvirt refuses for jobs
    /// that cannot be aborted (such as an internal snapshot of a running QEMU domain) and when none runs.
    /// </summary>
    public void AbortJob() => Check(NativeMethods.virDomainAbortJob(_handle));
}
